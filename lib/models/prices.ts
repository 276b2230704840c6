// Model prices: versioned rows, never updated in place, so a usage row's price id keeps its old value.
import "server-only";
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { modelPrices, type ModelPrice } from "@/db/schema";

export interface Price {
  id: number;
  inputPerMillion: number;
  outputPerMillion: number;
  effectiveFrom: Date;
}

export function toPrice(row: ModelPrice): Price {
  return {
    id: row.id,
    inputPerMillion: Number(row.inputPerMillion),
    outputPerMillion: Number(row.outputPerMillion),
    effectiveFrom: row.effectiveFrom,
  };
}

/** The price in effect now for each of the given models (absent when a model has none). */
export async function currentPrices(db: Tx, modelIds: string[]): Promise<Map<string, Price>> {
  if (modelIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([modelPrices.modelId])
    .from(modelPrices)
    .where(and(inArray(modelPrices.modelId, modelIds), lte(modelPrices.effectiveFrom, sql`now()`)))
    .orderBy(modelPrices.modelId, desc(modelPrices.effectiveFrom), desc(modelPrices.id));
  return new Map(rows.map((r) => [r.modelId, toPrice(r)]));
}

export async function currentPrice(db: Tx, modelId: string): Promise<Price | null> {
  return (await currentPrices(db, [modelId])).get(modelId) ?? null;
}

/** A price row by id, whether or not it is still current (what a usage row was charged at). */
export async function getPrice(db: Tx, priceId: number): Promise<(Price & { modelId: string }) | null> {
  const [row] = await db.select().from(modelPrices).where(eq(modelPrices.id, priceId));
  return row ? { ...toPrice(row), modelId: row.modelId } : null;
}

/** Newest first. */
export async function listPriceHistory(db: Tx, modelId: string, limit = 20): Promise<Price[]> {
  const rows = await db
    .select()
    .from(modelPrices)
    .where(eq(modelPrices.modelId, modelId))
    .orderBy(desc(modelPrices.effectiveFrom), desc(modelPrices.id))
    .limit(limit);
  return rows.map(toPrice);
}

/** Adds a price row that takes effect now. Amounts are US dollars per million tokens. */
export async function addPrice(
  db: Tx,
  input: { modelId: string; inputPerMillion: number; outputPerMillion: number; createdBy: string | null },
): Promise<Price> {
  const [row] = await db
    .insert(modelPrices)
    .values({
      modelId: input.modelId,
      inputPerMillion: String(input.inputPerMillion),
      outputPerMillion: String(input.outputPerMillion),
      createdBy: input.createdBy,
    })
    .returning();
  return toPrice(row);
}
