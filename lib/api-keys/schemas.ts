// Input of the API key forms and actions.
import { z } from "zod";

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Name the key.").max(100, "At most 100 characters."),
  /** ISO date-time; null for a key that does not expire. */
  expiresAt: z.iso
    .datetime({ offset: true, message: "Use a date and time." })
    .nullish()
    .transform((v) => (v ? new Date(v) : null))
    .refine((d) => d === null || d.getTime() > Date.now(), "The expiry must be in the future."),
  /** Model ids (as in /v1/models) the key may call; empty or null for every model. */
  allowedModels: z
    .array(z.string().trim().min(1).max(300))
    .max(100)
    .nullish()
    .transform((v) => (v && v.length ? [...new Set(v)] : null)),
  rpmLimit: z.number().int("A whole number.").min(1, "At least 1.").max(1_000_000).nullish().transform((v) => v ?? null),
  monthlyBudgetUsd: z.number().positive("More than 0.").max(1_000_000_000).nullish().transform((v) => v ?? null),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ id: z.string().min(1) });
