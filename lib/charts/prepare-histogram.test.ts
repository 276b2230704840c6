import { describe, expect, it } from "vitest";
import { ttftBin } from "@/lib/metering/ttft-histogram";
import { histogramOf, mergeInto, percentileOf, shareWithin, type Histogram } from "./prepare-histogram";

function fromSamples(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) h.set(ttftBin(v), (h.get(ttftBin(v)) ?? 0) + 1);
  return h;
}

function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

describe("TTFT percentiles from histograms", () => {
  it("are within 2% (or 1 ms) of the exact nearest-rank value over many shapes", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const shapes = [
      Array.from({ length: 5000 }, () => 0.2 + rand() * 3),
      Array.from({ length: 5000 }, () => Math.exp(rand() * 9)),
      Array.from({ length: 777 }, () => 180 + rand() * 40),
      [12.5],
    ];
    for (const values of shapes) {
      const h = fromSamples(values);
      for (const p of [0.01, 0.5, 0.9, 0.95, 0.99, 1]) {
        const want = exact(values, p);
        const got = percentileOf(h, p)!;
        expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(0.02 * want, 1));
      }
    }
  });

  it("returns null for no samples and merges histograms by adding counts", () => {
    expect(percentileOf(new Map(), 0.5)).toBeNull();
    const a = histogramOf([1, 5], [2, 3]);
    mergeInto(a, histogramOf([5, 9], [1, 4]));
    expect([...a.entries()].sort((x, y) => x[0] - y[0])).toEqual([
      [1, 2],
      [5, 4],
      [9, 4],
    ]);
  });

  it("share within a budget is off by at most the bin the budget cuts", () => {
    const values = Array.from({ length: 1000 }, (_, i) => 50 + i * 0.4); // 50 .. 449.6 ms
    const h = fromSamples(values);
    const within = values.filter((v) => v <= 200).length / values.length;
    const cut = h.get(ttftBin(200))! / values.length;
    expect(Math.abs(shareWithin(h, 200)! - within)).toBeLessThanOrEqual(cut);
    expect(shareWithin(h, 10_000)).toBe(1);
    expect(shareWithin(h, 10)).toBe(0);
  });
});
