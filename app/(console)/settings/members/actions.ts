"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addMember, changeRole, removeMember } from "@/lib/auth/accounts";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { ROLES } from "@/lib/auth/roles";
import { defineAction } from "@/lib/define-action";
import { toMemberDto } from "@/lib/members/query-options";

export const addMemberAction = defineAction(
  z.object({
    name: z.string().trim().min(1, "Enter a name.").max(100),
    email: z.email("Enter an email address.").max(320),
    password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(256),
    role: z.enum(ROLES, { message: "Choose admin, member or viewer." }),
  }),
  async (input, ctx) => {
    const member = await addMember(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/members");
    return toMemberDto(member);
  },
  { role: "admin" },
);

export const changeRoleAction = defineAction(
  z.object({ userId: z.string().min(1), role: z.enum(ROLES, { message: "Choose admin, member or viewer." }) }),
  async (input, ctx) => {
    const member = await changeRole(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/members");
    return toMemberDto(member);
  },
  { role: "admin" },
);

export const removeMemberAction = defineAction(
  z.object({ userId: z.string().min(1) }),
  async (input, ctx) => {
    await removeMember(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/members");
    return { removed: input.userId };
  },
  { role: "admin" },
);
