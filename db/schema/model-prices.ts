// Versioned model prices.
import { bigserial, index, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { models } from "./models";

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

export type ModelPrice = typeof modelPrices.$inferSelect;
