// Per-model figures of an eval run from its stored results. Pure: the page, the CLI and the scatter
// all use this, so a number on screen is the number in the CSV and in CI.
import type { ModelPoint } from "@/lib/charts/prepare-pareto";

export interface ResultRow {
  modelId: string;
  modelName: string;
  caseIdx: number;
  score: number;
  status: "ok" | "error";
  ttftMs: number | null;
  totalMs: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export interface ModelRunSummary {
  modelId: string;
  modelName: string;
  cases: number;
  errors: number;
  /** Mean case score, 0..1 (errors count as 0). */
  quality: number;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
  tokensPerSecond: number | null;
  costUsd: number;
  /** USD for 1,000 cases at this run's average; null when no price is known for the model. */
  costPer1k: number | null;
}

export function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(p * s.length)) - 1];
}

export function summarizeRun(rows: ResultRow[], modelOrder: string[] = []): ModelRunSummary[] {
  const by = new Map<string, ResultRow[]>();
  for (const r of rows) by.set(r.modelId, [...(by.get(r.modelId) ?? []), r]);
  const order = [...modelOrder.filter((m) => by.has(m)), ...[...by.keys()].filter((m) => !modelOrder.includes(m))];
  return order.map((modelId) => {
    const mine = by.get(modelId)!;
    const ttfts = mine.map((r) => r.ttftMs).filter((v): v is number => v !== null);
    const gen = mine.filter((r) => r.outputTokens !== null && r.outputTokens > 1 && r.ttftMs !== null && r.totalMs !== null && r.totalMs > r.ttftMs);
    const genMs = gen.reduce((s, r) => s + (r.totalMs! - r.ttftMs!), 0);
    const priced = mine.filter((r) => r.costUsd !== null);
    const cost = priced.reduce((s, r) => s + r.costUsd!, 0);
    return {
      modelId,
      modelName: mine[0].modelName,
      cases: mine.length,
      errors: mine.filter((r) => r.status === "error").length,
      quality: mine.reduce((s, r) => s + r.score, 0) / mine.length,
      p50TtftMs: nearestRank(ttfts, 0.5),
      p95TtftMs: nearestRank(ttfts, 0.95),
      tokensPerSecond: genMs > 0 ? gen.reduce((s, r) => s + r.outputTokens! - 1, 0) / (genMs / 1000) : null,
      costUsd: cost,
      costPer1k: priced.length ? (cost / priced.length) * 1000 : null,
    };
  });
}

/** Scatter points; a model without a known price sits at cost 0 (free, e.g. a local engine without a price). */
export function toModelPoints(summaries: ModelRunSummary[]): ModelPoint[] {
  return summaries.map((s) => ({ id: s.modelId, label: s.modelName, quality: s.quality, costPer1k: s.costPer1k ?? 0, p50TtftMs: s.p50TtftMs, p95TtftMs: s.p95TtftMs }));
}

export interface Thresholds {
  minQuality?: number;
  maxP95TtftMs?: number;
  maxCostPer1k?: number;
}

/** Every threshold a model misses, as a sentence naming the model, the threshold and the figure. */
export function failedThresholds(summaries: ModelRunSummary[], t: Thresholds): string[] {
  const out: string[] = [];
  for (const s of summaries) {
    if (t.minQuality !== undefined && s.quality < t.minQuality) out.push(`${s.modelName}: quality ${s.quality.toFixed(3)} is below --min-quality ${t.minQuality}`);
    if (t.maxP95TtftMs !== undefined && (s.p95TtftMs === null || s.p95TtftMs > t.maxP95TtftMs))
      out.push(`${s.modelName}: p95 time to first token ${s.p95TtftMs === null ? "unknown" : `${s.p95TtftMs.toFixed(1)} ms`} is above --max-p95-ttft-ms ${t.maxP95TtftMs}`);
    if (t.maxCostPer1k !== undefined && (s.costPer1k ?? 0) > t.maxCostPer1k) out.push(`${s.modelName}: cost per 1,000 cases $${(s.costPer1k ?? 0).toFixed(4)} is above --max-cost-per-1k ${t.maxCostPer1k}`);
  }
  return out;
}
