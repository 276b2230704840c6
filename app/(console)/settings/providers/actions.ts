"use server";

import { audited, defineAction } from "@/lib/define-action";
import { syncLocalModels } from "@/lib/providers/local";
import { createProvider, deleteProvider, importProviderModels, testProviderConnection, updateProvider } from "@/lib/providers/providers";
import { createProviderSchema, importModelsSchema, providerIdSchema, updateProviderSchema } from "@/lib/providers/schemas";
import { z } from "zod";

// A provider's models are listed on /models as well.
const options = { role: "admin", revalidate: ["/settings/providers", "/models"] } as const;

export const createProviderAction = defineAction(createProviderSchema, audited(createProvider), options);

export const updateProviderAction = defineAction(updateProviderSchema, audited(updateProvider), options);

export const deleteProviderAction = defineAction(
  providerIdSchema,
  async (input, ctx) => {
    await deleteProvider(ctx, ctx.user, input, ctx.ipAddress);
    return { removed: input.id };
  },
  options,
);

export const testConnectionAction = defineAction(providerIdSchema, async (input, ctx) => testProviderConnection(ctx, input), { role: "admin" });

export const importModelsAction = defineAction(importModelsSchema, audited(importProviderModels), options);

export const rescanLocalModelsAction = defineAction(
  z.object({}),
  async (_input, ctx) => {
    const result = await syncLocalModels(ctx.db);
    return { added: result.added, missing: result.missing, unreadable: result.unreadable.map((u) => u.name), retried: result.retried };
  },
  options,
);
