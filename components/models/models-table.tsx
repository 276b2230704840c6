"use client";

import { Fragment, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatContext, formatPerMillion } from "@/lib/models/format";
import { When } from "@/components/ui/when";
import type { ModelDto } from "@/lib/models/query-options";
import { DataTable, figures, type Column } from "@/components/ui/table";

const COLUMNS: Column[] = ["Model", "Provider", ...figures("Context", "Input / 1M", "Output / 1M"), "Price since", "Tags", "Enabled"];

export function ModelsTable({
  models,
  canEdit,
  editingId,
  busyId,
  onEdit,
  onToggleEnabled,
  onRetry,
  retryingId,
  renderEditor,
}: {
  models: ModelDto[];
  canEdit: boolean;
  editingId: string | null;
  busyId: string | null;
  onEdit: (m: ModelDto | null) => void;
  onToggleEnabled: (m: ModelDto, enabled: boolean) => void;
  /** Clears a local model's engine failure so its next use starts it again; absent for viewers. */
  onRetry?: (m: ModelDto) => void;
  retryingId?: string | null;
  renderEditor: (m: ModelDto) => ReactNode;
}) {
  const columns = canEdit ? 9 : 8;
  return (
    <DataTable columns={canEdit ? [...COLUMNS, { label: "Actions", hidden: true }] : COLUMNS} nowrapHeader>
      {models.map((m) => {
        const editing = editingId === m.id;
        return (
          <Fragment key={m.id}>
            <tr className={m.enabled && m.available ? undefined : "text-zinc-500 dark:text-zinc-400"}>
              <td className="px-5 py-3">
                <div className="font-medium">{m.displayName}</div>
                {m.displayName !== m.name ? <div className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{m.name}</div> : null}
                {m.available ? null : <div className="text-xs text-red-700 dark:text-red-400">File missing from the models directory</div>}
                {m.available && m.engine ? (
                  <EngineState engine={m.engine} onRetry={onRetry ? () => onRetry(m) : undefined} retrying={retryingId === m.id} name={m.displayName} />
                ) : null}
              </td>
              <td className="px-5 py-3">
                <span className="whitespace-nowrap">{m.providerName}</span>
              </td>
              <td className="px-5 py-3 text-right tabular-nums">{formatContext(m.contextLength)}</td>
              {m.price ? (
                <>
                  <td className="px-5 py-3 text-right tabular-nums">{formatPerMillion(m.price.inputPerMillion)}</td>
                  <td className="px-5 py-3 text-right tabular-nums">{formatPerMillion(m.price.outputPerMillion)}</td>
                  <td className="whitespace-nowrap px-5 py-3 text-xs text-zinc-500 dark:text-zinc-400">
                    <When iso={m.price.effectiveFrom} precision="day" />
                  </td>
                </>
              ) : (
                <td colSpan={3} className="px-5 py-3 text-center text-zinc-500 dark:text-zinc-400">
                  no price set
                </td>
              )}
              <td className="px-5 py-3">
                <div className="flex min-w-32 flex-wrap gap-1">
                  {m.tags.length === 0 ? <span className="text-zinc-400 dark:text-zinc-500">—</span> : m.tags.map((t) => <Badge key={t} tone={t === "local" ? "accent" : "neutral"}>{t}</Badge>)}
                </div>
              </td>
              <td className="px-5 py-3">
                {canEdit ? (
                  <label className="inline-flex cursor-pointer items-center gap-2">
                    <input
                      type="checkbox"
                      role="switch"
                      className="h-4 w-4 accent-accent-700"
                      checked={m.enabled}
                      disabled={busyId === m.id}
                      onChange={(e) => onToggleEnabled(m, e.target.checked)}
                      aria-label={`Enable ${m.displayName}`}
                    />
                    <span className="text-xs">{m.enabled ? "on" : "off"}</span>
                  </label>
                ) : (
                  <span className="text-xs">{m.enabled ? "yes" : "no"}</span>
                )}
              </td>
              {canEdit ? (
                <td className="px-5 py-3 text-right">
                  <Button variant="ghost" size="sm" aria-expanded={editing} aria-label={`${editing ? "Close editor of" : "Edit"} ${m.displayName}`} onClick={() => onEdit(editing ? null : m)}>
                    {editing ? "Close" : "Edit"}
                  </Button>
                </td>
              ) : null}
            </tr>
            {editing ? (
              <tr>
                <td colSpan={columns} className="bg-zinc-50 px-5 py-5 dark:bg-zinc-950/40">
                  {renderEditor(m)}
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </DataTable>
  );
}

const ENGINE_TEXT = { idle: "starts on first use", starting: "engine starting…", ready: "engine running" } as const;

function EngineState({
  engine,
  name,
  onRetry,
  retrying,
}: {
  engine: NonNullable<ModelDto["engine"]>;
  name: string;
  onRetry?: () => void;
  retrying: boolean;
}) {
  if (engine.status === "failed") {
    return (
      <div className="max-w-sm">
        <div className="line-clamp-2 text-xs text-red-700 dark:text-red-400" title={engine.error ?? undefined}>
          Failed to load: {engine.error}
        </div>
        {onRetry ? (
          <Button variant="secondary" size="sm" className="mt-1" disabled={retrying} aria-label={`Retry starting ${name}`} onClick={onRetry}>
            {retrying ? "Retrying…" : "Retry"}
          </Button>
        ) : null}
      </div>
    );
  }
  return (
    <div className={engine.status === "ready" ? "whitespace-nowrap text-xs text-green-700 dark:text-green-400" : "whitespace-nowrap text-xs text-zinc-500 dark:text-zinc-400"}>
      {ENGINE_TEXT[engine.status]}
    </div>
  );
}
