"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/define-action";
import { syncLocalModels } from "@/lib/providers/local";
import { createProvider, deleteProvider, importProviderModels, testProviderConnection, updateProvider } from "@/lib/providers/providers";
import { createProviderSchema, importModelsSchema, providerIdSchema, updateProviderSchema } from "@/lib/providers/schemas";
import { z } from "zod";

function revalidate() {
  revalidatePath("/settings/providers");
  revalidatePath("/models");
}

export const createProviderAction = defineAction(
  createProviderSchema,
  async (input, ctx) => {
    const provider = await createProvider(ctx, ctx.user, input, ctx.ipAddress);
    revalidate();
    return provider;
  },
  { role: "admin" },
);

export const updateProviderAction = defineAction(
  updateProviderSchema,
  async (input, ctx) => {
    const provider = await updateProvider(ctx, ctx.user, input, ctx.ipAddress);
    revalidate();
    return provider;
  },
  { role: "admin" },
);

export const deleteProviderAction = defineAction(
  providerIdSchema,
  async (input, ctx) => {
    await deleteProvider(ctx, ctx.user, input, ctx.ipAddress);
    revalidate();
    return { removed: input.id };
  },
  { role: "admin" },
);

export const testConnectionAction = defineAction(providerIdSchema, async (input, ctx) => testProviderConnection(ctx, input), { role: "admin" });

export const importModelsAction = defineAction(
  importModelsSchema,
  async (input, ctx) => {
    const result = await importProviderModels(ctx, ctx.user, input, ctx.ipAddress);
    revalidate();
    return result;
  },
  { role: "admin" },
);

export const rescanLocalModelsAction = defineAction(
  z.object({}),
  async (_input, ctx) => {
    const result = await syncLocalModels(ctx.db);
    revalidate();
    return { added: result.added, missing: result.missing, unreadable: result.unreadable.map((u) => u.name), retried: result.retried };
  },
  { role: "admin" },
);
