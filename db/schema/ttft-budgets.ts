// A time-to-first-token budget per model name; models without a row use the 200 ms default.
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const ttftBudgets = pgTable("ttft_budgets", {
  modelName: text("model_name").primaryKey(),
  budgetMs: integer("budget_ms").notNull(),
  updatedBy: text("updated_by").references(() => user.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
