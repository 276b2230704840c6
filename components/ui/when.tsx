import { formatUtc, type UtcPrecision } from "@/lib/utc";

/** A moment as every page shows it (lib/utc.ts), with the full moment, marked UTC, as its tooltip. */
export function When({ iso, precision = "minute", className }: { iso: string; precision?: UtcPrecision; className?: string }) {
  const full = formatUtc(iso, "second");
  return (
    <time dateTime={iso} title={full ? `${full} UTC` : undefined} className={className}>
      {formatUtc(iso, precision)}
    </time>
  );
}
