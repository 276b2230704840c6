"use server";

import { defineAction } from "@/lib/define-action";
import { addMember, changeRole, removeMember } from "@/lib/members/members";
import { addMemberSchema, changeRoleSchema, removeMemberSchema } from "@/lib/members/schemas";

const options = { role: "admin", revalidate: ["/settings/members"] } as const;

export const addMemberAction = defineAction(addMemberSchema, (input, ctx) => addMember(ctx, ctx.user, input, ctx.ipAddress), options);

export const changeRoleAction = defineAction(changeRoleSchema, (input, ctx) => changeRole(ctx, ctx.user, input, ctx.ipAddress), options);

export const removeMemberAction = defineAction(
  removeMemberSchema,
  async (input, ctx) => {
    await removeMember(ctx, ctx.user, input, ctx.ipAddress);
    return { removed: input.userId };
  },
  options,
);
