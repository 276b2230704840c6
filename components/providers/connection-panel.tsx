"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import type { ErrorCode } from "@/lib/errors";
import type { ConnectionResultDto } from "@/lib/providers/query-options";

const FAILURE_TITLES: Partial<Record<ErrorCode, string>> = {
  UPSTREAM: "The provider could not be reached",
  VALIDATION: "Kindling refused this address",
  UNAVAILABLE: "The stored key cannot be used",
  NOT_FOUND: "This provider no longer exists",
};

/** The result of "Test connection": the provider's models, to import the chosen ones. */
export function ConnectionPanel({
  providerName,
  state,
  importing,
  onImport,
  onRetry,
  onClose,
}: {
  providerName: string;
  state: { status: "pending" } | { status: "error"; code: ErrorCode; message: string } | { status: "ok"; result: ConnectionResultDto };
  importing: boolean;
  onImport: (names: string[]) => void;
  onRetry: () => void;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section aria-label={`Connection to ${providerName}`} className="border-t border-zinc-200 bg-zinc-50 px-5 py-4 dark:border-zinc-800 dark:bg-zinc-950/40">
      <div className="mb-3 flex items-center justify-between gap-4">
        <h3 className="text-sm font-semibold">Connection to {providerName}</h3>
        <Button variant="ghost" size="sm" onClick={onClose}>
          Close
        </Button>
      </div>
      {state.status === "pending" ? (
        <div className="space-y-2" aria-busy="true">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Asking {providerName} for its models (up to 10 s)…</p>
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-4 w-1/3" />
        </div>
      ) : state.status === "error" ? (
        <div className="space-y-3">
          <Alert tone="error">
            <p className="font-medium">{FAILURE_TITLES[state.code] ?? "The test failed"}</p>
            <p className="mt-0.5">{state.message}</p>
          </Alert>
          <Button variant="secondary" size="sm" onClick={onRetry}>
            Test again
          </Button>
        </div>
      ) : state.result.models.length === 0 ? (
        <Alert tone="info">Connected in {state.result.latencyMs} ms, but {providerName} lists no models.</Alert>
      ) : (
        <div className="space-y-3">
          <Alert tone="success">
            Connected in {state.result.latencyMs} ms. {providerName} serves {state.result.models.length}{" "}
            {state.result.models.length === 1 ? "model" : "models"}.
          </Alert>
          <fieldset>
            <legend className="mb-2 text-sm text-zinc-700 dark:text-zinc-300">Choose the models to add to the catalogue:</legend>
            <ul className="max-h-64 space-y-1 overflow-y-auto rounded-md border border-zinc-200 bg-white p-2 dark:border-zinc-800 dark:bg-zinc-900">
              {state.result.models.map((m) => (
                <li key={m.id}>
                  <label className="flex items-center gap-3 rounded px-2 py-1 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800">
                    <input
                      type="checkbox"
                      className="h-4 w-4"
                      checked={m.imported || chosen.has(m.id)}
                      disabled={m.imported || importing}
                      onChange={() => toggle(m.id)}
                    />
                    <span className="font-mono text-xs">{m.id}</span>
                    {m.contextLength ? <span className="text-xs text-zinc-500 dark:text-zinc-400">{m.contextLength.toLocaleString("en-US")} tokens</span> : null}
                    {m.imported ? <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400">already imported</span> : null}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="flex justify-end">
            <Button
              disabled={chosen.size === 0 || importing}
              onClick={() => {
                onImport([...chosen]);
                setChosen(new Set());
              }}
            >
              {importing ? "Importing…" : chosen.size > 0 ? `Import ${chosen.size} selected` : "Import selected"}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
