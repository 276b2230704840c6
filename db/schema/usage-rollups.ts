// Usage rolled up into minute, hour and day buckets so charts over long ranges never scan raw rows.
// Dimensions are stored as text with '' for "none" so one unique key identifies a bucket row.
import { bigint, doublePrecision, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz, updatedAt } from "./columns";

export const ROLLUP_GRAINS = ["minute", "hour", "day"] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/** What a bucket row adds up, the same in both rollup tables (the rollup pass copies one into the other). */
const measures = () => ({
  requests: bigint("requests", { mode: "number" }).notNull(),
  inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
  outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
  costUsd: numeric("cost_usd", { precision: 24, scale: 10 }).notNull(),
  ttftCount: bigint("ttft_count", { mode: "number" }).notNull(),
  ttftSumMs: doublePrecision("ttft_sum_ms").notNull(),
  /** Sparse TTFT histogram: bin numbers (lib/metering/ttft-histogram.ts) and their counts, same length. */
  ttftBins: smallint("ttft_bins").array().notNull(),
  ttftCounts: bigint("ttft_counts", { mode: "number" }).array().notNull(),
  /** Rows with output tokens and a generation time (total - ttft), for tokens per second. */
  genTokens: bigint("gen_tokens", { mode: "number" }).notNull(),
  genMs: doublePrecision("gen_ms").notNull(),
});

export const usageRollups = pgTable(
  "usage_rollups",
  {
    grain: text("grain", { enum: ROLLUP_GRAINS }).notNull(),
    bucketStart: timestamptz("bucket_start").notNull(),
    modelName: text("model_name").notNull(),
    providerName: text("provider_name").notNull(),
    deployment: text("deployment").notNull().default(""),
    userId: text("user_id").notNull().default(""),
    apiKeyId: text("api_key_id").notNull().default(""),
    source: text("source").notNull(),
    status: text("status").notNull(),
    ...measures(),
  },
  (t) => [
    uniqueIndex("usage_rollups_key").on(t.grain, t.bucketStart, t.modelName, t.providerName, t.deployment, t.userId, t.apiKeyId, t.source, t.status),
  ],
);

/**
 * The same measures per bucket and model only, for hour and day buckets: what /charts reads when no
 * filter other than the model is set (most views). usage_rollups has a row per combination of every
 * dimension; merging their TTFT histograms at read time took seconds over 7 days of busy traffic.
 * Rebuilt from usage_rollups in the rollup pass, bucket by bucket, like the other grains.
 */
export const usageRollupsByModel = pgTable(
  "usage_rollups_by_model",
  {
    grain: text("grain", { enum: ROLLUP_GRAINS }).notNull(),
    bucketStart: timestamptz("bucket_start").notNull(),
    modelName: text("model_name").notNull(),
    errors: bigint("errors", { mode: "number" }).notNull(),
    ...measures(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.bucketStart, t.modelName] })],
);

/** The rollup service's progress: one row. `gaps` are id ranges skipped by the sequence that may still commit. */
export const usageRollupState = pgTable(
  "usage_rollup_state",
  {
    id: integer("id").notNull(),
    watermark: bigint("watermark", { mode: "number" }).notNull().default(0),
    gaps: jsonb("gaps").$type<{ from: number; to: number; seenAt: string }[]>().notNull().default([]),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.id] })],
);

export type UsageRollup = typeof usageRollups.$inferSelect;
