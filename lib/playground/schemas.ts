// Input schemas for saved-prompt changes (pure zod, shared by actions and forms).
import { z } from "zod";
import { savedPromptDataSchema } from "./saved-prompt-data";

const name = z.string().trim().min(1, "Give it a name.").max(120, "At most 120 characters.");

export const savePromptSchema = z.object({ name, data: savedPromptDataSchema });
export const renamePromptSchema = z.object({ id: z.string().min(1), name });
export const deletePromptSchema = z.object({ id: z.string().min(1) });
