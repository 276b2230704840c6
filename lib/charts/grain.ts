// Which rollup grain a range is drawn from: enough points to see shape, never a scan of raw rows.
import type { RollupGrain } from "@/db/schema";

export const GRAIN_MS: Record<RollupGrain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function grainFor(from: Date, to: Date): RollupGrain {
  const span = to.getTime() - from.getTime();
  if (span <= 6 * 3_600_000) return "minute";
  if (span <= 8 * 86_400_000) return "hour";
  return "day";
}

/** The range widened to whole buckets of the grain: [first bucket start, end of last bucket). */
export function alignRange(from: Date, to: Date, grain: RollupGrain): { from: Date; to: Date } {
  const step = GRAIN_MS[grain];
  return { from: new Date(Math.floor(from.getTime() / step) * step), to: new Date(Math.ceil(to.getTime() / step) * step) };
}
