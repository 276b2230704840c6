// API keys for the OpenAI-compatible gateway (/v1). The secret is never stored: only its SHA-256,
// which is enough for a key with 256 random bits, and its first characters to tell keys apart.
import { index, integer, jsonb, numeric, pgTable, text } from "drizzle-orm/pg-core";
import { id, timestamptz, createdAt, parentId, weakRef } from "./columns";
import { user } from "./auth";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    /** The owner: the key acts with this user's role, and dies with the user. */
    userId: parentId("user_id", () => user.id),
    name: text("name").notNull(),
    /** The first characters of the secret (`kdl_` and 8 more), shown to tell keys apart. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole secret. */
    secretHash: text("secret_hash").notNull().unique(),
    /** Model ids the key may call; null means every model its owner may use. */
    allowedModels: jsonb("allowed_models").$type<string[]>(),
    rpmLimit: integer("rpm_limit"),
    monthlyBudgetUsd: numeric("monthly_budget_usd", { precision: 14, scale: 4, mode: "number" }),
    expiresAt: timestamptz("expires_at"),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
    revokedBy: weakRef("revoked_by", () => user.id),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
