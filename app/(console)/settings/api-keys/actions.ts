"use server";

import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/api-keys/schemas";
import { defineAction } from "@/lib/define-action";

const options = { role: "member", revalidate: ["/settings/api-keys"] } as const;

/** Creates a key for the signed-in member; the secret is in this one answer and nowhere else. */
export const createApiKeyAction = defineAction(
  createApiKeySchema,
  (input, ctx) => createApiKey(ctx.db, ctx.user, { ...input, expiresAt: input.expiresAt?.toISOString() ?? null }, ctx.ipAddress),
  options,
);

export const revokeApiKeyAction = defineAction(revokeApiKeySchema, (input, ctx) => revokeApiKey(ctx.db, ctx.user, input, ctx.ipAddress), options);
