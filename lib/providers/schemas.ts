// Input schemas for provider forms, shared by the server actions and the client forms (pure zod).
import { z } from "zod";

const id = z.string().min(1).max(100);

export const providerFieldsSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(80, "Use at most 80 characters."),
  baseUrl: z
    .string()
    .trim()
    .min(1, "Enter the base URL, e.g. http://127.0.0.1:8000/v1.")
    .max(2000, "That URL is too long."),
});

export const createProviderSchema = providerFieldsSchema.extend({
  /** Empty means the endpoint needs no key. */
  apiKey: z.string().trim().max(4000, "That key is too long.").optional().default(""),
});

export const updateProviderSchema = providerFieldsSchema.extend({
  id,
  /** Empty keeps the stored key; a value replaces it. */
  apiKey: z.string().trim().max(4000, "That key is too long.").optional().default(""),
  removeApiKey: z.boolean().optional().default(false),
});

export const providerIdSchema = z.object({ id });

export const importModelsSchema = z.object({
  providerId: id,
  names: z.array(z.string().min(1).max(300)).min(1, "Choose at least one model.").max(500),
});

export type CreateProviderInput = z.input<typeof createProviderSchema>;
export type UpdateProviderInput = z.input<typeof updateProviderSchema>;
