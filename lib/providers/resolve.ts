// What the playground (and later deployments and evals) call to reach a model: where to send the
// request, with which key, at which price. Nothing above this knows whether a model is local or remote.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, providers, type ProviderKind } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { currentPrice, currentPrices } from "@/lib/models/prices";
import { KeyDecryptError, openApiKey } from "./crypto";
import { ensureLocalEngine } from "@/lib/engine/supervisor";
import { LOCAL_PROVIDER_ID, presentLocalModels } from "./local";
import { targetCache } from "./target-cache";

export interface ModelTarget {
  provider: { id: string; name: string; kind: "local" | "openai-compatible" };
  model: { id: string; name: string; displayName: string; contextLength: number | null };
  /** e.g. http://127.0.0.1:41234/v1 (for local: the engine, started if needed). */
  baseUrl: string;
  /** Decrypted; server-only. */
  apiKey: string | null;
  /** The current price; its id goes on the usage row. */
  price: { id: number; inputPerMillion: number; outputPerMillion: number } | null;
}

/** NOT_FOUND for an unknown model; UNAVAILABLE for a disabled one, a missing file or an engine that fails. */
export async function resolveModelTarget(db: Db, modelId: string): Promise<ModelTarget> {
  const hit = targetCache().get(modelId);
  if (hit) return { ...hit, baseUrl: hit.baseUrl ?? (await ensureLocalEngine(hit.model.name)) };
  const target = await lookupModelTarget(db, modelId);
  targetCache().set(modelId, { ...target, baseUrl: target.provider.kind === "local" ? null : target.baseUrl });
  return target;
}

async function lookupModelTarget(db: Db, modelId: string): Promise<ModelTarget> {
  const [row] = await db
    .select({ model: models, provider: providers })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .where(eq(models.id, modelId));
  if (!row) throw new AppError("NOT_FOUND", "That model does not exist (it may have been removed).");
  const { model, provider } = row;
  const displayName = model.displayName || model.name;
  if (!model.enabled) throw new AppError("UNAVAILABLE", `${displayName} is disabled. An admin can enable it on the Models page.`);

  let baseUrl: string;
  let apiKey: string | null = null;
  if (provider.kind === "local") {
    baseUrl = await ensureLocalEngine(model.name);
  } else {
    if (!provider.baseUrl) throw new AppError("UNAVAILABLE", `${provider.name} has no base URL.`);
    baseUrl = provider.baseUrl;
    if (provider.apiKeyCiphertext) {
      try {
        apiKey = openApiKey({ ciphertext: provider.apiKeyCiphertext, version: provider.apiKeyVersion ?? -1 }, provider.id);
      } catch (error) {
        if (!(error instanceof KeyDecryptError)) throw error;
        throw new AppError("UNAVAILABLE", `The API key of ${provider.name} cannot be read: ${error.message}.`);
      }
    }
  }
  const price = await currentPrice(db, model.id);
  return {
    provider: { id: provider.id, name: provider.name, kind: provider.kind },
    model: { id: model.id, name: model.name, displayName, contextLength: model.contextLength },
    baseUrl,
    apiKey,
    price: price ? { id: price.id, inputPerMillion: price.inputPerMillion, outputPerMillion: price.outputPerMillion } : null,
  };
}

export interface PickerModel {
  id: string;
  displayName: string;
  name: string;
  providerName: string;
  providerKind: string;
  contextLength: number | null;
  tags: string[];
  price: { inputPerMillion: number; outputPerMillion: number } | null;
}

const KIND_ORDER: Record<ProviderKind, number> = { local: 0, "openai-compatible": 1 };

/** Enabled models of every provider (local ones only while their file is present), local first. */
export async function listPickerModels(db: Db): Promise<PickerModel[]> {
  const rows = await db
    .select({ model: models, provider: providers })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .where(and(eq(models.enabled, true)))
    .orderBy(asc(providers.name), asc(models.name));
  const present = await presentLocalModels(db);
  const usable = rows.filter((r) => r.provider.id !== LOCAL_PROVIDER_ID || present.has(r.model.name));
  const prices = await currentPrices(db, usable.map((r) => r.model.id));
  return usable
    .sort((a, b) => KIND_ORDER[a.provider.kind] - KIND_ORDER[b.provider.kind])
    .map(({ model, provider }) => {
      const price = prices.get(model.id);
      return {
        id: model.id,
        displayName: model.displayName || model.name,
        name: model.name,
        providerName: provider.name,
        providerKind: provider.kind,
        contextLength: model.contextLength,
        tags: model.tags,
        price: price ? { inputPerMillion: price.inputPerMillion, outputPerMillion: price.outputPerMillion } : null,
      };
    });
}
