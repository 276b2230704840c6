// Inference providers: the built-in local engine and OpenAI-compatible endpoints.
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
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

export type Provider = typeof providers.$inferSelect;
