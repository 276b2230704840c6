// Fixed log-spaced time-to-first-token bins, shared by the SQL that fills rollups and the code that
// reads percentiles back. Bin 0 is [0, 1 ms); bin k >= 1 is [R^(k-1), R^k) ms. With R = 1.04 the
// geometric middle of a bin is within 2% of any value in it (sqrt(1.04) - 1 = 1.98%), and within 1 ms
// below 1 ms. The last bin collects everything from about 124 s up and reports its lower edge.
export const TTFT_RATIO = 1.04;
export const TTFT_LAST_BIN = 300;

export function ttftBin(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(1 + Math.floor(Math.log(ms) / Math.log(TTFT_RATIO)), TTFT_LAST_BIN);
}

/** The same binning as ttftBin, as SQL over a column holding milliseconds. */
export function ttftBinSql(column: string): string {
  return `(case when ${column} < 1 then 0 else least(1 + floor(ln(${column}) / ln(${TTFT_RATIO})), ${TTFT_LAST_BIN}) end)::smallint`;
}

export function binLowerMs(bin: number): number {
  return bin <= 0 ? 0 : TTFT_RATIO ** (bin - 1);
}

/** The value a bin stands for when a percentile lands in it. */
export function binValueMs(bin: number): number {
  if (bin <= 0) return 0.5;
  if (bin >= TTFT_LAST_BIN) return binLowerMs(bin);
  return TTFT_RATIO ** (bin - 0.5);
}
