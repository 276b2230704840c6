"use server";

import { defineAction } from "@/lib/define-action";
import { deletePromptSchema, renamePromptSchema, savePromptSchema } from "@/lib/playground/schemas";
import { createSavedPrompt, deleteSavedPrompt, renameSavedPrompt } from "@/lib/playground/saved-prompts";

export const savePromptAction = defineAction(savePromptSchema, async (input, ctx) => createSavedPrompt(ctx.db, ctx.user, input), { role: "member" });

export const renamePromptAction = defineAction(renamePromptSchema, async (input, ctx) => renameSavedPrompt(ctx.db, ctx.user, input), { role: "member" });

export const deletePromptAction = defineAction(
  deletePromptSchema,
  async (input, ctx) => {
    await deleteSavedPrompt(ctx.db, ctx.user, input.id);
    return { id: input.id };
  },
  { role: "member" },
);
