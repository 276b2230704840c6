"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/define-action";
import { addMember, changeRole, removeMember } from "@/lib/members/members";
import { addMemberSchema, changeRoleSchema, removeMemberSchema } from "@/lib/members/schemas";

export const addMemberAction = defineAction(
  addMemberSchema,
  async (input, ctx) => {
    const member = await addMember(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/members");
    return member;
  },
  { role: "admin" },
);

export const changeRoleAction = defineAction(
  changeRoleSchema,
  async (input, ctx) => {
    const member = await changeRole(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/members");
    return member;
  },
  { role: "admin" },
);

export const removeMemberAction = defineAction(
  removeMemberSchema,
  async (input, ctx) => {
    await removeMember(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/members");
    return { removed: input.userId };
  },
  { role: "admin" },
);
