// What the /charts page and its GET route read: rollup series, budgets and filter values for a query.
import "server-only";
import type { Tx } from "@/db/client";
import { listTtftBudgets } from "./budgets";
import { getFilterOptions, getUsageSeries } from "./queries";
import { resolveRange, type ChartQuery } from "./schemas";
import type { UsageChartData } from "./query-options";

export async function getUsageChartData(db: Tx, q: ChartQuery, now = new Date()): Promise<UsageChartData> {
  const range = resolveRange(q, now);
  const [series, budgets, options] = await Promise.all([getUsageSeries(db, range, q), listTtftBudgets(db), getFilterOptions(db, range)]);
  return { ...series, budgets, options };
}
