// Inference providers: the built-in local engine and OpenAI-compatible endpoints.
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { id, createdAt, updatedAt, weakRef } from "./columns";
import { user } from "./auth";

export const PROVIDER_KINDS = ["local", "openai-compatible"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const providers = pgTable("providers", {
  id: id(),
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
  createdBy: weakRef("created_by", () => user.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type Provider = typeof providers.$inferSelect;
