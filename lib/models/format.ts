// Display helpers for the catalogue (pure; used by the models page and the playground picker alike).
import { formatUtc } from "@/lib/utc";

/** "$0.25", "$2.50", "$0.0005", "$12" — dollars per million tokens, without trailing zeros past the cents. */
export function formatPerMillion(value: number): string {
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: Number.isInteger(value) ? 0 : 2, maximumFractionDigits: 6 })}`;
}

export function formatContext(tokens: number | null): string {
  return tokens === null ? "unknown" : tokens.toLocaleString("en-US");
}

/** "2026-11-27 17:48 UTC" from an ISO timestamp (lib/utc.ts, labelled). */
export function formatWhen(iso: string): string {
  return `${formatUtc(iso)} UTC`;
}
