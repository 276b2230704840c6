"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/api-keys/schemas";
import { defineAction } from "@/lib/define-action";

/** Creates a key for the signed-in member; the secret is in this one answer and nowhere else. */
export const createApiKeyAction = defineAction(
  createApiKeySchema,
  async (input, ctx) => {
    const created = await createApiKey(
      ctx.db,
      ctx.user,
      { ...input, expiresAt: input.expiresAt?.toISOString() ?? null },
      ctx.ipAddress,
    );
    revalidatePath("/settings/api-keys");
    return created;
  },
  { role: "member" },
);

export const revokeApiKeyAction = defineAction(
  revokeApiKeySchema,
  async (input, ctx) => {
    const key = await revokeApiKey(ctx.db, ctx.user, input, ctx.ipAddress);
    revalidatePath("/settings/api-keys");
    return key;
  },
  { role: "member" },
);
