import { describe, expect, it } from "vitest";
import { ttftBin } from "@/lib/metering/ttft-histogram";
import { MAX_STACKED_MODELS, OTHER, prepareUsage } from "./prepare-usage";
import type { UsageBucketRow } from "./queries";

const row = (bucket: string, modelName: string, over: Partial<UsageBucketRow> = {}): UsageBucketRow => ({
  bucket,
  modelName,
  requests: 10,
  errors: 1,
  costUsd: 0.5,
  inputTokens: 100,
  outputTokens: 200,
  ttftCount: 2,
  ttftSumMs: 300,
  genTokens: 190,
  genMs: 1900,
  ttft: [
    [ttftBin(100), 1],
    [ttftBin(200), 1],
  ],
  ...over,
});

const H = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();

describe("prepareUsage", () => {
  it("fills every bucket in the window, with zeros where nothing happened", () => {
    const out = prepareUsage({ grain: "hour", from: H(0), to: H(4), rows: [row(H(1), "a")] });
    expect(out.buckets).toEqual([H(0), H(1), H(2), H(3)]);
    expect(out.requests.map((r) => r.ok + r.errors)).toEqual([0, 10, 0, 0]);
    expect(out.spend.map((s) => s.a)).toEqual([0, 0.5, 0, 0]);
    expect(out.ttft.a.map((t) => t.p50 === null)).toEqual([true, false, true, true]);
  });

  it("stacks spend by model, biggest first, and sums the tail into Other", () => {
    const rows = Array.from({ length: MAX_STACKED_MODELS + 2 }, (_, i) => row(H(0), `m${i}`, { costUsd: i + 1 }));
    const out = prepareUsage({ grain: "hour", from: H(0), to: H(1), rows });
    expect(out.stackKeys).toHaveLength(MAX_STACKED_MODELS);
    expect(out.stackKeys[0]).toBe(`m${MAX_STACKED_MODELS + 1}`);
    expect(out.stackKeys.at(-1)).toBe(OTHER);
    expect(out.spend[0][OTHER]).toBe(1 + 2 + 3);
    const stacked = out.stackKeys.reduce((s, k) => s + (out.spend[0][k] as number), 0);
    expect(stacked).toBeCloseTo(out.totals.costUsd, 10);
  });

  it("summarises a model across buckets: averages from sums, percentiles from merged histograms, budget share", () => {
    const out = prepareUsage({ grain: "hour", from: H(0), to: H(2), rows: [row(H(0), "a"), row(H(1), "a", { ttft: [[ttftBin(1000), 2]], ttftSumMs: 2000 })] }, { a: 150 });
    const a = out.models[0];
    expect(a.requests).toBe(20);
    expect(a.errors).toBe(2);
    expect(a.avgTtftMs).toBe((300 + 2000) / 4);
    expect(a.p50TtftMs).toBeCloseTo(200, -1);
    expect(a.p95TtftMs).toBeCloseTo(1000, -2);
    expect(a.budgetMs).toBe(150);
    expect(a.withinBudget).toBe(0.25);
    expect(a.tokensPerSecond).toBeCloseTo(100, 10);
  });

  it("is empty when nothing was used", () => {
    expect(prepareUsage({ grain: "day", from: H(0), to: H(48), rows: [] }).isEmpty).toBe(true);
  });
});
