// Percentiles and budget shares from sparse TTFT histograms (bins from lib/metering/ttft-histogram).
import { binLowerMs, binValueMs, TTFT_RATIO } from "@/lib/metering/ttft-histogram";

/** bin number -> count */
export type Histogram = Map<number, number>;

export function histogramOf(bins: readonly number[], counts: readonly number[]): Histogram {
  const h: Histogram = new Map();
  bins.forEach((bin, i) => h.set(bin, (h.get(bin) ?? 0) + Number(counts[i])));
  return h;
}

export function mergeInto(target: Histogram, source: Histogram): Histogram {
  for (const [bin, count] of source) target.set(bin, (target.get(bin) ?? 0) + count);
  return target;
}

export function histogramTotal(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/**
 * Nearest-rank percentile (p in 0..1): the value at rank ceil(p * n) of the sorted samples, reported as
 * the middle of the bin that rank falls in. Null for an empty histogram.
 */
export function percentileOf(h: Histogram, p: number): number | null {
  const n = histogramTotal(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const bin of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(bin) ?? 0;
    if (seen >= rank) return binValueMs(bin);
  }
  return null;
}

/**
 * Share of samples at or under a budget. Bins wholly under it count; the one bin the budget cuts through
 * is split in proportion on a log scale, so the error is at most that bin's share.
 */
export function shareWithin(h: Histogram, budgetMs: number): number | null {
  const n = histogramTotal(h);
  if (n === 0) return null;
  let within = 0;
  for (const [bin, count] of h) {
    const lo = binLowerMs(bin);
    const hi = bin === 0 ? 1 : lo * TTFT_RATIO;
    if (hi <= budgetMs) within += count;
    else if (lo < budgetMs) within += bin === 0 ? count * (budgetMs / hi) : count * (Math.log(budgetMs / lo) / Math.log(TTFT_RATIO));
  }
  return within / n;
}
