// Labels for chart axes, tooltips and tables. Pure; UTC so every viewer reads the same bucket.
import type { RollupGrain } from "@/db/schema/usage-rollups";

export function formatBucket(iso: string, grain: RollupGrain): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  const day = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  return grain === "day" ? day : `${day} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (v === 0) return "$0";
  if (Math.abs(v) < 0.01) return `$${v.toPrecision(2)}`;
  return `$${v.toFixed(2)}`;
}

export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v).toLocaleString("en-US")} ms`;
}

export function formatShare(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;
}
