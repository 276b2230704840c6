// Input schemas for model edits (pure zod, shared by actions and forms).
import { z } from "zod";

const money = (what: string) =>
  z
    .number({ message: `Enter the ${what} price as a number.` })
    .finite(`Enter the ${what} price as a number.`)
    .min(0, "A price cannot be negative.")
    .max(100_000, "That price is above $100,000 per million tokens; check the units.");

export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,23}$/;

export const updateModelSchema = z.object({
  id: z.string().min(1).max(100),
  displayName: z.string().trim().max(120, "Use at most 120 characters.").optional(),
  tags: z
    .array(z.string().trim().toLowerCase().regex(TAG_PATTERN, "Tags are lowercase letters, digits and dashes, up to 24 characters."))
    .max(8, "Use at most 8 tags.")
    .optional(),
  enabled: z.boolean().optional(),
  contextLength: z
    .number({ message: "Enter the context length as a whole number of tokens." })
    .int("Enter the context length as a whole number of tokens.")
    .min(1, "A context length is at least 1 token.")
    .max(10_000_000, "That context length is above 10 million tokens; check the number.")
    .nullable()
    .optional(),
});

export const changePriceSchema = z.object({
  modelId: z.string().min(1).max(100),
  inputPerMillion: money("input"),
  outputPerMillion: money("output"),
});

export type UpdateModelInput = z.input<typeof updateModelSchema>;
export type ChangePriceInput = z.input<typeof changePriceSchema>;

export const retryModelSchema = z.object({ id: z.string().min(1).max(100) });
