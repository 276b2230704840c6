"use server";

import { z } from "zod";
import { defineAction } from "@/lib/define-action";
import { savedPromptDataSchema } from "@/lib/playground/saved-prompt-data";
import { createSavedPrompt, deleteSavedPrompt, renameSavedPrompt } from "@/lib/playground/saved-prompts";

const name = z.string().trim().min(1, "Give it a name.").max(120, "At most 120 characters.");

export const savePromptAction = defineAction(
  z.object({ name, data: savedPromptDataSchema }),
  async (input, ctx) => createSavedPrompt(ctx.db, ctx.user, input),
  { role: "member" },
);

export const renamePromptAction = defineAction(
  z.object({ id: z.string().min(1), name }),
  async (input, ctx) => renameSavedPrompt(ctx.db, ctx.user, input),
  { role: "member" },
);

export const deletePromptAction = defineAction(
  z.object({ id: z.string().min(1) }),
  async (input, ctx) => {
    await deleteSavedPrompt(ctx.db, ctx.user, input.id);
    return { id: input.id };
  },
  { role: "member" },
);
