"use server";

import { z } from "zod";
import { createFirstAdmin, signInWithPassword } from "@/lib/auth/accounts";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { defineAction } from "@/lib/define-action";

const signInSchema = z.object({
  email: z.email("Enter an email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(256),
});

export const signInAction = defineAction(
  signInSchema,
  async (input, ctx) => {
    const { user } = await signInWithPassword(ctx, input, ctx);
    return { name: user.name };
  },
  { role: "public" },
);

const setupSchema = z
  .object({
    name: z.string().trim().min(1, "Enter your name.").max(100),
    email: z.email("Enter an email address.").max(320),
    password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(256),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const setupAction = defineAction(
  setupSchema,
  async (input, ctx) => {
    const admin = await createFirstAdmin(ctx, input, ctx.ipAddress);
    await signInWithPassword(ctx, { email: admin.email, password: input.password }, ctx);
    return { email: admin.email };
  },
  { role: "public" },
);
