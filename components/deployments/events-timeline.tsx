import type { DeploymentEventDto } from "@/lib/deployments/query-options";
import { When } from "@/components/ui/when";

const DOT: Record<string, string> = {
  replica_failed: "bg-red-500",
  replica_exited: "bg-amber-500",
  failover_used: "bg-amber-500",
  replica_ready: "bg-green-500",
  replica_restarted: "bg-green-500",
  cold_start: "bg-blue-500",
  scaled: "bg-blue-500",
  scaled_to_zero: "bg-zinc-400",
};

export function EventsTimeline({ events }: { events: DeploymentEventDto[] }) {
  if (events.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">No events yet.</p>;
  return (
    <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Events">
      {events.map((e) => (
        <li key={e.id} className="flex gap-3 px-5 py-2.5 text-sm">
          <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${DOT[e.kind] ?? "bg-zinc-400"}`} aria-hidden />
          <div className="flex min-w-0 flex-1 flex-col gap-0.5 sm:flex-row sm:gap-3">
            <When iso={e.at} precision="time" className="shrink-0 tabular-nums text-zinc-500 sm:w-20" />
            <span className="shrink-0 text-xs uppercase tracking-wide text-zinc-500 sm:w-36 sm:pt-0.5">{e.kind.replaceAll("_", " ")}</span>
            <span className="min-w-0 whitespace-pre-wrap break-words">{e.message}</span>
          </div>
        </li>
      ))}
    </ol>
  );
}
