import Link from "next/link";
import { DataTable, figures } from "@/components/ui/table";
import type { DeploymentDto } from "@/lib/deployments/query-options";
import { fmtMs, fmtRate, fmtRpm } from "./format";
import { StateBadge } from "./state-badge";

export function DeploymentsTable({ deployments }: { deployments: DeploymentDto[] }) {
  return (
    <DataTable
      nowrapHeader
      columns={["Name", "Model", "State", ...figures("Ready / desired", "Req/min", "p50 TTFT", "Errors")]}
    >
      {deployments.map((d) => (
        <tr key={d.id}>
          <th scope="row" className="px-5 py-3 text-left font-medium">
            <Link href={`/deployments/${encodeURIComponent(d.name)}`} className="text-accent-700 hover:underline dark:text-accent-100">
              {d.name}
            </Link>
            {d.adapters.length ? <span className="ml-2 text-xs font-normal text-zinc-500">+{d.adapters.length} adapter{d.adapters.length > 1 ? "s" : ""}</span> : null}
          </th>
          <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">{d.model.name}</td>
          <td className="px-5 py-3">
            <StateBadge state={d.state} />
          </td>
          <td className="px-5 py-3 text-right tabular-nums">
            {d.readyReplicas} / {d.desiredReplicas}
          </td>
          <td className="px-5 py-3 text-right tabular-nums">{fmtRpm(d.stats.requestsPerMinute)}</td>
          <td className="px-5 py-3 text-right tabular-nums">{fmtMs(d.stats.ttftP50Ms)}</td>
          <td className="px-5 py-3 text-right tabular-nums">{fmtRate(d.stats.errorRate)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
