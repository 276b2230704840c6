// Inference providers, their models, and versioned model prices.
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const PROVIDER_KINDS = ["local", "openai-compatible"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const providers = pgTable("providers", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  kind: text("kind", { enum: PROVIDER_KINDS }).notNull(),
  /** http(s) base URL ending before /chat/completions, e.g. https://api.example.com/v1; null for local. */
  baseUrl: text("base_url"),
  /** AES-256-GCM ciphertext of the API key (base64url iv.tag.data); never sent to the browser. */
  apiKeyCiphertext: text("api_key_ciphertext"),
  /** Which version of KINDLING_SECRET-derived keys encrypted it, so the secret can be rotated. */
  apiKeyVersion: integer("api_key_version"),
  /** Last four characters of the key, to tell keys apart in the UI. */
  apiKeyHint: text("api_key_hint"),
  createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const models = pgTable(
  "models",
  {
    id: text("id").primaryKey(),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    /** The model's id at its provider (what goes in the request's `model` field). */
    name: text("name").notNull(),
    displayName: text("display_name"),
    contextLength: integer("context_length"),
    tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("models_provider_name_idx").on(t.providerId, t.name)],
);

/** Prices are never updated in place: a change adds a row, so old requests keep the price they were made at. */
export const modelPrices = pgTable(
  "model_prices",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    modelId: text("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** US dollars per million input (prompt) tokens. */
    inputPerMillion: numeric("input_per_million", { precision: 14, scale: 6 }).notNull(),
    outputPerMillion: numeric("output_per_million", { precision: 14, scale: 6 }).notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
  },
  (t) => [index("model_prices_model_effective_idx").on(t.modelId, t.effectiveFrom)],
);

export type Provider = typeof providers.$inferSelect;
export type Model = typeof models.$inferSelect;
export type ModelPrice = typeof modelPrices.$inferSelect;
