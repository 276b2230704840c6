// One row per model call, from the playground and (later) deployments and evals.
import { bigint, doublePrecision, index, integer, numeric, pgTable, text } from "drizzle-orm/pg-core";
import { serialId, timestamptz, weakRef } from "./columns";
import { user } from "./auth";
import { modelPrices } from "./model-prices";

export const USAGE_STATUSES = ["ok", "error", "aborted"] as const;

export const usageEvents = pgTable(
  "usage_events",
  {
    id: serialId(),
    /** Made by the caller before the call; a repeated flush of the same row is ignored. */
    requestId: text("request_id").notNull().unique(),
    at: timestamptz("at").notNull(),
    userId: weakRef("user_id", () => user.id),
    /** "playground" | "api" | "eval" | ...: who made the call. */
    source: text("source").notNull(),
    /** The API key of a gateway call; plain text like the ids below, so a row never blocks on a removed key. */
    apiKeyId: text("api_key_id"),
    /** For deployments: the replica that answered. */
    replicaId: text("replica_id"),
    /** The deployment the request named (`model: <deployment>`), whether a replica or its failover answered. */
    deployment: text("deployment"),
    /** Kept as text as well as ids so a row still reads right after a provider or model is removed. */
    providerId: text("provider_id"),
    providerName: text("provider_name").notNull(),
    modelId: text("model_id"),
    modelName: text("model_name").notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    /** Milliseconds from sending the request to the first content delta, measured at the provider boundary. */
    ttftMs: doublePrecision("ttft_ms"),
    totalMs: doublePrecision("total_ms"),
    costUsd: numeric("cost_usd", { precision: 18, scale: 10 }),
    priceId: bigint("price_id", { mode: "number" }).references(() => modelPrices.id, { onDelete: "set null" }),
    status: text("status", { enum: USAGE_STATUSES }).notNull(),
    finishReason: text("finish_reason"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
  },
  (t) => [
    index("usage_events_at_idx").on(t.at),
    index("usage_events_model_at_idx").on(t.modelId, t.at),
    index("usage_events_api_key_at_idx").on(t.apiKeyId, t.at),
  ],
);

export type UsageEvent = typeof usageEvents.$inferSelect;
export type NewUsageEvent = typeof usageEvents.$inferInsert;
