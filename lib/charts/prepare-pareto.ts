// The quality x cost trade-off: which models are on the Pareto frontier, who dominates the rest and
// how, and the cheapest model that meets a quality bar and a latency budget. Pure.
export interface ModelPoint {
  id: string;
  label: string;
  /** 0..1 */
  quality: number;
  /** USD per 1,000 cases. */
  costPer1k: number;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
}

export interface Dominance {
  by: string;
  byLabel: string;
  /** e.g. "higher quality (0.90 vs 0.80) at lower cost ($0.10 vs $0.40 per 1,000)" */
  how: string;
}

export interface ParetoPoint extends ModelPoint {
  onFrontier: boolean;
  dominatedBy: Dominance[];
}

/** a dominates b: at least as good on quality and cost, strictly better on one. */
export function dominates(a: ModelPoint, b: ModelPoint): boolean {
  return a.quality >= b.quality && a.costPer1k <= b.costPer1k && (a.quality > b.quality || a.costPer1k < b.costPer1k);
}

const usd = (v: number) => (v === 0 ? "$0" : v < 0.01 ? `$${v.toPrecision(2)}` : `$${v.toFixed(2)}`);

function describe(a: ModelPoint, b: ModelPoint): string {
  const parts: string[] = [];
  if (a.quality > b.quality) parts.push(`higher quality (${a.quality.toFixed(2)} vs ${b.quality.toFixed(2)})`);
  else parts.push(`the same quality (${a.quality.toFixed(2)})`);
  if (a.costPer1k < b.costPer1k) parts.push(`lower cost (${usd(a.costPer1k)} vs ${usd(b.costPer1k)} per 1,000 cases)`);
  else parts.push(`the same cost (${usd(a.costPer1k)} per 1,000 cases)`);
  return `${parts[0]} at ${parts[1]}`;
}

/**
 * Labels of models drawn on the same spot (equal quality and cost): on the chart the last one hides
 * the others, so the page names them. Groups of two or more, in the points' order.
 */
export function coincidentLabels(points: ModelPoint[]): string[][] {
  const at = new Map<string, string[]>();
  for (const p of points) {
    const key = `${p.costPer1k}|${p.quality}`;
    at.set(key, [...(at.get(key) ?? []), p.label]);
  }
  return [...at.values()].filter((g) => g.length > 1);
}

export function preparePareto(points: ModelPoint[]): { points: ParetoPoint[]; frontier: ParetoPoint[] } {
  const out = points.map((p) => {
    const dominatedBy = points.filter((q) => q.id !== p.id && dominates(q, p)).map((q) => ({ by: q.id, byLabel: q.label, how: describe(q, p) }));
    return { ...p, onFrontier: dominatedBy.length === 0, dominatedBy };
  });
  // Drawn left to right: cheapest first, quality rising along the frontier.
  const frontier = out.filter((p) => p.onFrontier).sort((a, b) => a.costPer1k - b.costPer1k || a.quality - b.quality);
  return { points: out, frontier };
}

export interface Requirement {
  minQuality: number;
  maxP95TtftMs?: number;
}

/** The cheapest model that meets the bar (ties: higher quality, then faster); null with the reason when none does. */
export function cheapestMeeting(points: ModelPoint[], req: Requirement): { point: ModelPoint | null; reason: string } {
  const fits = points.filter((p) => p.quality >= req.minQuality && (req.maxP95TtftMs === undefined || (p.p95TtftMs !== null && p.p95TtftMs <= req.maxP95TtftMs)));
  if (fits.length === 0) {
    const anyQuality = points.some((p) => p.quality >= req.minQuality);
    return {
      point: null,
      reason: anyQuality
        ? `No model with quality at least ${req.minQuality} has a p95 time to first token within ${req.maxP95TtftMs} ms.`
        : `No model reaches quality ${req.minQuality}.`,
    };
  }
  fits.sort((a, b) => a.costPer1k - b.costPer1k || b.quality - a.quality || (a.p95TtftMs ?? Infinity) - (b.p95TtftMs ?? Infinity));
  return { point: fits[0], reason: `${fits[0].label} is the cheapest model meeting the bar.` };
}

/**
 * x positions for a log cost axis. A log axis cannot show 0, so free models (a local engine without a
 * price) sit at a floor a decade below the cheapest priced one, and the axis labels that floor "free".
 * `ticks` are the floor and each power of ten above it: one label per decade, and only one "free".
 */
export function logCostAxis(points: { costPer1k: number }[]): { floor: number; x: (cost: number) => number; domain: [number, number]; ticks: number[] } {
  const priced = points.map((p) => p.costPer1k).filter((c) => c > 0);
  const min = priced.length ? Math.min(...priced) : 0.01;
  const max = priced.length ? Math.max(...priced) : 0.01;
  const low = Math.floor(Math.log10(min) - 1);
  const high = Math.ceil(Math.log10(max) + 0.01);
  const floor = 10 ** low;
  const ticks = Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
  return { floor, x: (c) => (c > 0 ? c : floor), domain: [floor / 2, 10 ** high], ticks };
}
