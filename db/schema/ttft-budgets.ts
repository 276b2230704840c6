// A time-to-first-token budget per model name; models without a row use the 200 ms default.
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { updatedAt, weakRef } from "./columns";
import { user } from "./auth";

export const ttftBudgets = pgTable("ttft_budgets", {
  modelName: text("model_name").primaryKey(),
  budgetMs: integer("budget_ms").notNull(),
  updatedBy: weakRef("updated_by", () => user.id),
  updatedAt: updatedAt(),
});
