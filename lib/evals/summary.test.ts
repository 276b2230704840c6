import { describe, expect, it } from "vitest";
import { failedThresholds, nearestRank, summarizeRun, type ResultRow } from "./summary";

const r = (modelId: string, caseIdx: number, score: number, ttftMs: number, costUsd: number | null = 0.001): ResultRow => ({
  modelId,
  modelName: modelId.toUpperCase(),
  caseIdx,
  score,
  status: "ok",
  ttftMs,
  totalMs: ttftMs + 1000,
  outputTokens: 11,
  costUsd,
});

describe("summarizeRun", () => {
  const rows = [r("a", 0, 1, 10), r("a", 1, 0, 20), r("a", 2, 1, 30), r("a", 3, 1, 400), r("b", 0, 1, 5, null), { ...r("b", 1, 0, 0), status: "error" as const, ttftMs: null }];
  it("quality, percentiles, tokens/s and cost per 1,000 cases per model", () => {
    const [a, b] = summarizeRun(rows, ["a", "b"]);
    expect(a).toMatchObject({ modelName: "A", cases: 4, errors: 0, quality: 0.75, p50TtftMs: 20, p95TtftMs: 400, tokensPerSecond: 10 });
    expect(a.costPer1k).toBeCloseTo(1, 10);
    expect(b).toMatchObject({ cases: 2, errors: 1, quality: 0.5, p50TtftMs: 5, costPer1k: 0.001 * 1000 });
  });
  it("nearest rank", () => {
    expect(nearestRank([], 0.5)).toBeNull();
    expect(nearestRank([3, 1, 2], 0.5)).toBe(2);
    expect(nearestRank([3, 1, 2], 0.95)).toBe(3);
  });
  it("names every failed threshold and nothing when all hold", () => {
    const s = summarizeRun(rows, ["a", "b"]);
    expect(failedThresholds(s, { minQuality: 0.5, maxP95TtftMs: 1000, maxCostPer1k: 5 })).toEqual([]);
    expect(failedThresholds(s, { minQuality: 0.8, maxP95TtftMs: 100 })).toEqual([
      "A: quality 0.750 is below --min-quality 0.8",
      "A: p95 time to first token 400.0 ms is above --max-p95-ttft-ms 100",
      "B: quality 0.500 is below --min-quality 0.8",
    ]);
  });
});
