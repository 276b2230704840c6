// The model catalogue: every model of every provider with its current price, and the admin edits
// (display name, tags, enabled, context length) and price changes, each audited.
import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, providers, type Model } from "@/db/schema";
import type { Actor } from "@/lib/auth/accounts";
import { recordAudit } from "@/lib/audit/audit";
import { AppError } from "@/lib/errors";
import { presentModelFiles } from "@/lib/engine/local-models";
import { clearLocalEngineFailures, localEngineState, type LocalEngineState } from "@/lib/engine/supervisor";
import { addPrice, currentPrice, currentPrices, listPriceHistory, type Price } from "./prices";
import type { ModelDto, PriceDto } from "./query-options";
import { invalidateModelTargets } from "@/lib/providers/target-cache";

export interface ModelsContext {
  db: Db;
}

export function toPriceDto(p: Price): PriceDto {
  return { id: p.id, inputPerMillion: p.inputPerMillion, outputPerMillion: p.outputPerMillion, effectiveFrom: p.effectiveFrom.toISOString() };
}

function engineDto(state: LocalEngineState): NonNullable<ModelDto["engine"]> {
  return { status: state.status, error: state.status === "failed" ? state.error : null };
}

/** Every model, local ones first, then by provider and name. */
export async function listModels({ db }: ModelsContext): Promise<ModelDto[]> {
  const rows = await db
    .select({ model: models, provider: providers })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .orderBy(asc(providers.name), asc(models.name));
  const localNames = rows.filter((r) => r.provider.kind === "local").map((r) => r.model.name);
  const [prices, present] = await Promise.all([currentPrices(db, rows.map((r) => r.model.id)), presentModelFiles(localNames)]);
  return rows
    .sort((a, b) => Number(b.provider.kind === "local") - Number(a.provider.kind === "local"))
    .map(({ model, provider }) => {
      const price = prices.get(model.id);
      return {
        id: model.id,
        name: model.name,
        displayName: model.displayName || model.name,
        providerId: provider.id,
        providerName: provider.name,
        providerKind: provider.kind,
        contextLength: model.contextLength,
        tags: model.tags,
        enabled: model.enabled,
        available: provider.kind !== "local" || present.has(model.name),
        engine: provider.kind === "local" ? engineDto(localEngineState(model.name)) : null,
        price: price ? toPriceDto(price) : null,
      };
    });
}

export async function getModelPriceHistory({ db }: ModelsContext, modelId: string): Promise<PriceDto[]> {
  const [row] = await db.select({ id: models.id }).from(models).where(eq(models.id, modelId));
  if (!row) throw new AppError("NOT_FOUND", "That model does not exist.");
  return (await listPriceHistory(db, modelId)).map(toPriceDto);
}

export async function updateModel(
  { db }: ModelsContext,
  actor: Actor,
  input: { id: string; displayName?: string; tags?: string[]; enabled?: boolean; contextLength?: number | null },
  ipAddress: string | null,
): Promise<Model> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(models).where(eq(models.id, input.id)).for("update");
    if (!current) throw new AppError("NOT_FOUND", "That model no longer exists.");
    const patch: Partial<typeof models.$inferInsert> = {};
    const changed: string[] = [];
    if (input.displayName !== undefined) {
      const displayName = input.displayName || null;
      if (displayName !== current.displayName) {
        patch.displayName = displayName;
        changed.push("display name");
      }
    }
    if (input.tags !== undefined) {
      const tags = [...new Set(input.tags)];
      if (JSON.stringify(tags) !== JSON.stringify(current.tags)) {
        patch.tags = tags;
        changed.push("tags");
      }
    }
    if (input.enabled !== undefined && input.enabled !== current.enabled) {
      patch.enabled = input.enabled;
      changed.push(input.enabled ? "enabled" : "disabled");
    }
    if (input.contextLength !== undefined && input.contextLength !== current.contextLength) {
      const [provider] = await tx.select({ kind: providers.kind }).from(providers).where(eq(providers.id, current.providerId));
      if (provider?.kind === "local") throw new AppError("VALIDATION", "A local model's context length comes from its file.");
      patch.contextLength = input.contextLength;
      changed.push("context length");
    }
    if (changed.length === 0) return current;
    const [row] = await tx.update(models).set({ ...patch, updatedAt: new Date() }).where(eq(models.id, current.id)).returning();
    await recordAudit(tx, { actor, action: "model.update", target: row.displayName || row.name, ipAddress, details: { changed } });
    return row;
  }).finally(invalidateModelTargets);
}

/**
 * Forgets why a local model's engine failed, so its next use starts it again (the models page's Retry).
 * Returns the engine's state after that: idle, or the state it was already in when it had not failed.
 */
export async function retryLocalModel({ db }: ModelsContext, modelId: string): Promise<NonNullable<ModelDto["engine"]>> {
  const [row] = await db
    .select({ name: models.name, kind: providers.kind })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .where(eq(models.id, modelId));
  if (!row) throw new AppError("NOT_FOUND", "That model no longer exists.");
  if (row.kind !== "local") throw new AppError("VALIDATION", "Only local models have an engine to retry.");
  await clearLocalEngineFailures(row.name);
  invalidateModelTargets();
  return engineDto(localEngineState(row.name));
}

/** Adds a price row that takes effect now; an unchanged price adds nothing. */
export async function changeModelPrice(
  { db }: ModelsContext,
  actor: Actor,
  input: { modelId: string; inputPerMillion: number; outputPerMillion: number },
  ipAddress: string | null,
): Promise<PriceDto> {
  return db.transaction(async (tx) => {
    // Locking the model row serialises concurrent price changes of one model.
    const [model] = await tx.select().from(models).where(eq(models.id, input.modelId)).for("update");
    if (!model) throw new AppError("NOT_FOUND", "That model no longer exists.");
    const before = await currentPrice(tx, model.id);
    if (before && before.inputPerMillion === input.inputPerMillion && before.outputPerMillion === input.outputPerMillion) return toPriceDto(before);
    const after = await addPrice(tx, { modelId: model.id, inputPerMillion: input.inputPerMillion, outputPerMillion: input.outputPerMillion, createdBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: "model.price_change",
      target: model.displayName || model.name,
      ipAddress,
      details: {
        from: before ? { inputPerMillion: before.inputPerMillion, outputPerMillion: before.outputPerMillion } : null,
        to: { inputPerMillion: after.inputPerMillion, outputPerMillion: after.outputPerMillion },
        priceId: after.id,
      },
    });
    return toPriceDto(after);
  }).finally(invalidateModelTargets);
}
