// How the rollup watermark moves. Rows are read by id; an id the sequence handed out but that is not
// visible yet (an insert still in flight, or one that never commits: ON CONFLICT DO NOTHING burns ids)
// is remembered as a gap and looked for again until it shows up or is older than the expiry.
export interface IdGap {
  from: number;
  to: number;
  seenAt: string;
}

export const GAP_EXPIRY_MS = 10 * 60_000;
const MAX_GAPS = 2_000;

export function advanceWatermark(
  watermark: number,
  gaps: IdGap[],
  /** Ids read above the watermark, ascending. */
  newIds: number[],
  /** Ids found inside the remembered gaps. */
  foundGapIds: number[],
  now: Date,
  expiryMs = GAP_EXPIRY_MS,
): { watermark: number; gaps: IdGap[] } {
  let next: IdGap[] = [];
  const found = [...foundGapIds].sort((a, b) => a - b);
  for (const gap of gaps) {
    if (now.getTime() - Date.parse(gap.seenAt) > expiryMs) continue;
    let from = gap.from;
    for (const id of found) {
      if (id < from || id > gap.to) continue;
      if (id > from) next.push({ from, to: id - 1, seenAt: gap.seenAt });
      from = id + 1;
    }
    if (from <= gap.to) next.push({ from, to: gap.to, seenAt: gap.seenAt });
  }
  let expected = watermark + 1;
  for (const id of newIds) {
    if (id > expected) next.push({ from: expected, to: id - 1, seenAt: now.toISOString() });
    expected = id + 1;
  }
  if (next.length > MAX_GAPS) next = next.slice(next.length - MAX_GAPS);
  return { watermark: newIds.length ? newIds[newIds.length - 1] : watermark, gaps: next };
}
