// Input schemas for member changes (pure zod, shared by actions and forms).
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { ROLES } from "@/lib/auth/roles";

const role = z.enum(ROLES, { message: "Choose admin, member or viewer." });

export const addMemberSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(100),
  email: z.email("Enter an email address.").max(320),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(256),
  role,
});

export const changeRoleSchema = z.object({ userId: z.string().min(1), role });

export const removeMemberSchema = z.object({ userId: z.string().min(1) });

export type AddMemberInput = z.output<typeof addMemberSchema>;
export type ChangeRoleInput = z.output<typeof changeRoleSchema>;
export type RemoveMemberInput = z.output<typeof removeMemberSchema>;
