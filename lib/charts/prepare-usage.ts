// Turns rollup rows (per bucket and model) into what the usage charts draw. Pure: no database.
import type { RollupGrain } from "@/db/schema";
import { GRAIN_MS } from "./grain";
import { histogramOf, mergeInto, percentileOf, shareWithin, type Histogram } from "./prepare-histogram";
import type { UsageBucketRow, UsageTotals } from "./queries";

export const DEFAULT_TTFT_BUDGET_MS = 200;
/** Models drawn as their own colour in stacked charts; the rest are summed into "Other". */
export const MAX_STACKED_MODELS = 8;
export const OTHER = "Other";

export interface ModelSummary extends UsageTotals {
  modelName: string;
  avgTtftMs: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
  budgetMs: number;
  /** Share of requests with a TTFT at or under the budget (0..1), of those that reported one. */
  withinBudget: number | null;
  tokensPerSecond: number | null;
}

export interface PreparedUsage {
  grain: RollupGrain;
  buckets: string[];
  /** Models by spend, highest first (at most MAX_STACKED_MODELS, then OTHER when there are more). */
  stackKeys: string[];
  spend: Array<{ bucket: string } & Record<string, number | string>>;
  requests: Array<{ bucket: string; ok: number; errors: number }>;
  ttft: Record<string, Array<{ bucket: string; p50: number | null; p95: number | null; requests: number }>>;
  tokensPerSecond: Array<{ bucket: string } & Record<string, number | string | null>>;
  models: ModelSummary[];
  totals: UsageTotals;
  isEmpty: boolean;
}

export function bucketsBetween(from: string, to: string, grain: RollupGrain): string[] {
  const out: string[] = [];
  const step = GRAIN_MS[grain];
  for (let t = Date.parse(from); t < Date.parse(to); t += step) out.push(new Date(t).toISOString());
  return out;
}

const rate = (tokens: number, ms: number) => (ms > 0 && tokens > 0 ? tokens / (ms / 1000) : null);

export function prepareUsage(
  data: { grain: RollupGrain; from: string; to: string; rows: UsageBucketRow[] },
  budgets: Record<string, number> = {},
): PreparedUsage {
  const buckets = bucketsBetween(data.from, data.to, data.grain);
  const byModel = new Map<string, { s: Omit<ModelSummary, "avgTtftMs" | "p50TtftMs" | "p95TtftMs" | "withinBudget" | "tokensPerSecond" | "budgetMs">; ttftCount: number; ttftSum: number; genTokens: number; genMs: number; hist: Histogram }>();
  for (const r of data.rows) {
    const m = byModel.get(r.modelName) ?? {
      s: { modelName: r.modelName, requests: 0, errors: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 },
      ttftCount: 0,
      ttftSum: 0,
      genTokens: 0,
      genMs: 0,
      hist: new Map(),
    };
    m.s.requests += r.requests;
    m.s.errors += r.errors;
    m.s.costUsd += r.costUsd;
    m.s.inputTokens += r.inputTokens;
    m.s.outputTokens += r.outputTokens;
    m.ttftCount += r.ttftCount;
    m.ttftSum += r.ttftSumMs;
    m.genTokens += r.genTokens;
    m.genMs += r.genMs;
    mergeInto(m.hist, histogramOf(r.ttft.map((p) => p[0]), r.ttft.map((p) => p[1])));
    byModel.set(r.modelName, m);
  }
  const models: ModelSummary[] = [...byModel.values()]
    .map((m) => {
      const budgetMs = budgets[m.s.modelName] ?? DEFAULT_TTFT_BUDGET_MS;
      return {
        ...m.s,
        avgTtftMs: m.ttftCount ? m.ttftSum / m.ttftCount : null,
        p50TtftMs: percentileOf(m.hist, 0.5),
        p95TtftMs: percentileOf(m.hist, 0.95),
        budgetMs,
        withinBudget: shareWithin(m.hist, budgetMs),
        tokensPerSecond: rate(m.genTokens, m.genMs),
      };
    })
    .sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests || a.modelName.localeCompare(b.modelName));

  const named = models.slice(0, models.length > MAX_STACKED_MODELS ? MAX_STACKED_MODELS - 1 : MAX_STACKED_MODELS).map((m) => m.modelName);
  const stackKeys = models.length > named.length ? [...named, OTHER] : named;
  const keyOf = (model: string) => (named.includes(model) ? model : OTHER);

  const index = new Map(buckets.map((b, i) => [b, i]));
  const spend = buckets.map((bucket) => Object.fromEntries([["bucket", bucket], ...stackKeys.map((k) => [k, 0])])) as PreparedUsage["spend"];
  const requests = buckets.map((bucket) => ({ bucket, ok: 0, errors: 0 }));
  const perBucket = new Map<string, { hist: Histogram; requests: number; genTokens: number; genMs: number }>();
  for (const r of data.rows) {
    const i = index.get(r.bucket);
    if (i === undefined) continue;
    const k = keyOf(r.modelName);
    spend[i][k] = (spend[i][k] as number) + r.costUsd;
    requests[i].ok += r.requests - r.errors;
    requests[i].errors += r.errors;
    const key = `${r.bucket}|${r.modelName}`;
    const cell = perBucket.get(key) ?? { hist: new Map(), requests: 0, genTokens: 0, genMs: 0 };
    mergeInto(cell.hist, histogramOf(r.ttft.map((p) => p[0]), r.ttft.map((p) => p[1])));
    cell.requests += r.requests;
    cell.genTokens += r.genTokens;
    cell.genMs += r.genMs;
    perBucket.set(key, cell);
  }
  const ttft: PreparedUsage["ttft"] = {};
  for (const m of models) {
    ttft[m.modelName] = buckets.map((bucket) => {
      const cell = perBucket.get(`${bucket}|${m.modelName}`);
      return { bucket, p50: cell ? percentileOf(cell.hist, 0.5) : null, p95: cell ? percentileOf(cell.hist, 0.95) : null, requests: cell?.requests ?? 0 };
    });
  }
  const tokensPerSecond = buckets.map((bucket) =>
    Object.fromEntries([
      ["bucket", bucket],
      ...models.map((m) => {
        const cell = perBucket.get(`${bucket}|${m.modelName}`);
        return [m.modelName, cell ? rate(cell.genTokens, cell.genMs) : null];
      }),
    ]),
  ) as PreparedUsage["tokensPerSecond"];

  const totals = models.reduce(
    (t, m) => ({
      requests: t.requests + m.requests,
      errors: t.errors + m.errors,
      costUsd: t.costUsd + m.costUsd,
      inputTokens: t.inputTokens + m.inputTokens,
      outputTokens: t.outputTokens + m.outputTokens,
    }),
    { requests: 0, errors: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 },
  );
  return { grain: data.grain, buckets, stackKeys, spend, requests, ttft, tokensPerSecond, models, totals, isEmpty: totals.requests === 0 };
}
