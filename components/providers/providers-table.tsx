"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ProviderDto } from "@/lib/providers/query-options";
import { DataTable, figures, type Column } from "@/components/ui/table";

const COLUMNS: Column[] = ["Name", "Kind", "Base URL", "API key", ...figures("Models"), { label: "Actions", hidden: true }];

export function ProvidersTable({
  providers,
  busyId,
  onTest,
  onEdit,
  onRemove,
  onRescan,
}: {
  providers: ProviderDto[];
  busyId: string | null;
  onTest: (p: ProviderDto) => void;
  onEdit: (p: ProviderDto) => void;
  onRemove: (p: ProviderDto) => void;
  onRescan: () => void;
}) {
  return (
    <DataTable columns={COLUMNS}>
      {providers.map((p) => {
        const busy = busyId === p.id;
        const local = p.kind === "local";
        return (
          <tr key={p.id}>
            <td className="px-5 py-3 font-medium">{p.name}</td>
            <td className="px-5 py-3">
              <Badge tone={local ? "accent" : "blue"}>{local ? "local engine" : "OpenAI-compatible"}</Badge>
            </td>
            <td className="min-w-48 max-w-xs break-all px-5 py-3 font-mono text-xs text-zinc-600 dark:text-zinc-400">
              {p.baseUrl ?? <span className="break-normal font-sans text-zinc-500 dark:text-zinc-400">models directory, started on demand</span>}
            </td>
            <td className="px-5 py-3 font-mono text-xs text-zinc-600 dark:text-zinc-400">
              {p.apiKeyHint ?? <span className="font-sans text-zinc-500 dark:text-zinc-400">{local ? "not needed" : "none"}</span>}
            </td>
            <td className="px-5 py-3 text-right tabular-nums">{p.modelCount}</td>
            <td className="whitespace-nowrap px-5 py-3 text-right">
              <div className="inline-flex gap-2">
                {local ? (
                  <Button variant="secondary" size="sm" disabled={busy} onClick={onRescan} aria-label="Rescan the models directory">
                    Rescan files
                  </Button>
                ) : (
                  <>
                    <Button variant="secondary" size="sm" disabled={busy} onClick={() => onTest(p)} aria-label={`Test connection to ${p.name}`}>
                      Test connection
                    </Button>
                    <Button variant="ghost" size="sm" disabled={busy} onClick={() => onEdit(p)} aria-label={`Edit ${p.name}`}>
                      Edit
                    </Button>
                    <Button variant="danger" size="sm" disabled={busy} onClick={() => onRemove(p)} aria-label={`Remove ${p.name}`}>
                      Remove
                    </Button>
                  </>
                )}
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
