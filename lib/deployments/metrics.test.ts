import { describe, expect, it } from "vitest";
import { EngineMetrics } from "@/lib/engine/metrics";
import { histogramQuantileMs, parseEngineMetrics, scrapeDelta, summarizeSamples } from "./metrics";

describe("engine metrics", () => {
  it("reads what the engine writes, and takes deltas across scrapes and restarts", () => {
    const m = new EngineMetrics(() => ({ active: 2, queued: 1, parallel: 4 }));
    m.countRequest("/v1/chat/completions", 200);
    m.countRequest("/v1/chat/completions", 503);
    m.countRequest("/health", 200);
    m.observeTtft(0.03);
    const first = parseEngineMetrics(m.render());
    expect(first).toMatchObject({ requests: 2, errors: 1, active: 2, queued: 1 });
    m.countRequest("/v1/completions", 200);
    m.observeTtft(0.3);
    const second = parseEngineMetrics(m.render());
    const d = scrapeDelta(first, second);
    expect(d.requests).toBe(1);
    expect(d.ttftBuckets.reduce((a, b) => a + b, 0)).toBe(1);
    expect(d.ttftBuckets[6]).toBe(1); // 0.2 < 0.3 <= 0.5
    // A restarted engine starts from zero: the new counts are the delta.
    const fresh = new EngineMetrics(() => ({ active: 0, queued: 0, parallel: 4 }));
    fresh.countRequest("/v1/chat/completions", 200);
    expect(scrapeDelta(second, parseEngineMetrics(fresh.render())).requests).toBe(1);
  });

  it("interpolates quantiles inside buckets and summarises a window", () => {
    const buckets = [0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0]; // all in (25, 50] ms
    expect(histogramQuantileMs(buckets, 0.5)).toBeCloseTo(37.5);
    expect(histogramQuantileMs(buckets.map(() => 0), 0.5)).toBeNull();
    const s = summarizeSamples([
      { intervalS: 30, requests: 20, errors: 1, ttftBuckets: buckets },
      { intervalS: 30, requests: 10, errors: 0, ttftBuckets: buckets },
    ]);
    expect(s.requestsPerMinute).toBe(30);
    expect(s.errorRate).toBeCloseTo(1 / 30);
  });
});
