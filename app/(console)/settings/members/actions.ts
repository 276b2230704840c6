"use server";

import { audited, defineAction } from "@/lib/define-action";
import { addMember, changeRole, removeMember } from "@/lib/members/members";
import { addMemberSchema, changeRoleSchema, removeMemberSchema } from "@/lib/members/schemas";

const options = { role: "admin", revalidate: ["/settings/members"] } as const;

export const addMemberAction = defineAction(addMemberSchema, audited(addMember), options);

export const changeRoleAction = defineAction(changeRoleSchema, audited(changeRole), options);

export const removeMemberAction = defineAction(
  removeMemberSchema,
  async (input, ctx) => {
    await removeMember(ctx, ctx.user, input, ctx.ipAddress);
    return { removed: input.userId };
  },
  options,
);
