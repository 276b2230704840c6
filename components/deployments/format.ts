// Display helpers for deployment figures (pure).
export const fmtMs = (ms: number | null) => (ms === null ? "–" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
export const fmtRate = (r: number | null) => (r === null ? "–" : `${(r * 100).toFixed(r > 0 && r < 0.01 ? 2 : 1)}%`);
export const fmtRpm = (n: number) => (n === 0 ? "0" : n < 10 ? n.toFixed(1) : Math.round(n).toString());

export function fmtUptime(fromIso: string | null, now = Date.now()): string {
  if (!fromIso) return "–";
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
