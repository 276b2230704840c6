// The one way a moment is written on the console's pages: UTC, as the stored rows, the CSV exports and
// the server logs have it, and the same on the server's render as in the browser (a local-time string
// would differ between the two). Pure: pages, components and the catalogue helpers all call it.
export type UtcPrecision = "day" | "minute" | "second" | "time";

/** "2026-12-03", "2026-12-03 16:28", "2026-12-03 16:28:05" or "16:28:05", in UTC; "" for an unreadable value. */
export function formatUtc(iso: string, precision: UtcPrecision = "minute"): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const s = new Date(ms).toISOString(); // 2026-12-03T16:28:05.123Z
  if (precision === "day") return s.slice(0, 10);
  if (precision === "time") return s.slice(11, 19);
  return s.slice(0, precision === "second" ? 19 : 16).replace("T", " ");
}
