// Versioned model prices.
import { index, numeric, pgTable } from "drizzle-orm/pg-core";
import { serialId, timestamptz, parentId, weakRef } from "./columns";
import { user } from "./auth";
import { models } from "./models";

/** Prices are never updated in place: a change adds a row, so old requests keep the price they were made at. */
export const modelPrices = pgTable(
  "model_prices",
  {
    id: serialId(),
    modelId: parentId("model_id", () => models.id),
    /** US dollars per million input (prompt) tokens. */
    inputPerMillion: numeric("input_per_million", { precision: 14, scale: 6 }).notNull(),
    outputPerMillion: numeric("output_per_million", { precision: 14, scale: 6 }).notNull(),
    effectiveFrom: timestamptz("effective_from").notNull().defaultNow(),
    createdBy: weakRef("created_by", () => user.id),
  },
  (t) => [index("model_prices_model_effective_idx").on(t.modelId, t.effectiveFrom)],
);

export type ModelPrice = typeof modelPrices.$inferSelect;
