import { DataTable, figures } from "@/components/ui/table";
import type { ReplicaDto } from "@/lib/deployments/query-options";
import { fmtUptime } from "./format";

const STATE_CLASS: Record<string, string> = {
  ready: "text-green-700 dark:text-green-400",
  starting: "text-blue-700 dark:text-blue-300",
  restarting: "text-amber-700 dark:text-amber-300",
  draining: "text-zinc-500",
  failed: "text-red-700 dark:text-red-400",
};

export function ReplicasTable({ replicas, generation }: { replicas: ReplicaDto[]; generation: number }) {
  if (replicas.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">No replica is running.</p>;
  return (
    <DataTable
      nowrapHeader
      columns={["Replica", "State", ...figures("PID", "Port", "Uptime", "Active", "Queued", "Restarts")]}
    >
      {replicas.map((r) => (
        <tr key={r.id}>
          <th scope="row" className="px-5 py-3 text-left font-mono text-xs font-normal">
            {r.id.slice(0, 8)}
            {r.generation !== generation ? <span className="ml-2 font-sans text-zinc-500">(old settings)</span> : null}
          </th>
          <td className={`px-5 py-3 ${STATE_CLASS[r.state] ?? ""}`} title={r.error ?? undefined}>
            {r.state}
          </td>
          <td className="px-5 py-3 text-right tabular-nums">{r.pid ?? "–"}</td>
          <td className="px-5 py-3 text-right tabular-nums">{r.port ?? "–"}</td>
          <td className="px-5 py-3 text-right tabular-nums">{r.state === "ready" ? fmtUptime(r.readyAt) : "–"}</td>
          <td className="px-5 py-3 text-right tabular-nums">{r.active ?? "–"}</td>
          <td className="px-5 py-3 text-right tabular-nums">{r.queued ?? "–"}</td>
          <td className="px-5 py-3 text-right tabular-nums">{r.restarts}</td>
        </tr>
      ))}
    </DataTable>
  );
}
