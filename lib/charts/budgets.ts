// Per-model time-to-first-token budgets (the line on the TTFT chart and the "within budget" share).
import "server-only";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Tx } from "@/db/client";
import { ttftBudgets } from "@/db/schema";
import type { ttftBudgetSchema } from "./schemas";

export async function listTtftBudgets(db: Tx): Promise<Record<string, number>> {
  const rows = await db.select().from(ttftBudgets);
  return Object.fromEntries(rows.map((r) => [r.modelName, r.budgetMs]));
}

export async function setTtftBudget(db: Tx, input: z.output<typeof ttftBudgetSchema>, userId: string): Promise<void> {
  await db
    .insert(ttftBudgets)
    .values({ ...input, updatedBy: userId })
    .onConflictDoUpdate({ target: ttftBudgets.modelName, set: { budgetMs: input.budgetMs, updatedBy: userId, updatedAt: sql`now()` } });
}
