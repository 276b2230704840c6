"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { ModelEditor, type ModelDetailsValues } from "@/components/models/model-editor";
import { ModelsTable } from "@/components/models/models-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { ActionResult, ErrorCode, FieldErrors } from "@/lib/errors";
import { modelsQuery, priceHistoryQuery, type ModelDto } from "@/lib/models/query-options";
import { changePriceAction, retryLocalModelAction, updateModelAction } from "./actions";

type ActionError = Error & { code: ErrorCode; fieldErrors?: FieldErrors };

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw Object.assign(new Error(r.message), { code: r.code, fieldErrors: r.fieldErrors });
  return r.data;
}

function Editor({ model, onSaved }: { model: ModelDto; onSaved: (text: string) => void }) {
  const queryClient = useQueryClient();
  const history = useQuery(priceHistoryQuery(model.id));
  const details = useMutation({
    mutationFn: (v: ModelDetailsValues) => unwrap(updateModelAction({ id: model.id, ...v })),
    onSuccess: () => {
      onSaved(`Saved ${model.displayName}.`);
      void queryClient.invalidateQueries({ queryKey: modelsQuery.queryKey });
    },
  });
  const price = useMutation({
    mutationFn: (v: { inputPerMillion: number; outputPerMillion: number }) => unwrap(changePriceAction({ modelId: model.id, ...v })),
    onSuccess: () => {
      onSaved(`New price for ${model.displayName} saved; it applies from now on.`);
      void queryClient.invalidateQueries({ queryKey: modelsQuery.queryKey });
    },
  });
  return (
    <ModelEditor
      model={model}
      history={
        history.isPending
          ? { status: "pending" }
          : history.isError
            ? { status: "error", message: history.error.message }
            : { status: "ok", prices: history.data }
      }
      onSaveDetails={(v) => details.mutate(v)}
      onSavePrice={(v) => price.mutate(v)}
      detailsPending={details.isPending}
      pricePending={price.isPending}
      detailsError={details.error as ActionError | null}
      priceError={price.error as ActionError | null}
    />
  );
}

export function ModelsView({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const models = useQuery(modelsQuery);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [provider, setProvider] = useState("all");
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const toggle = useMutation({
    mutationFn: (v: { model: ModelDto; enabled: boolean }) => unwrap(updateModelAction({ id: v.model.id, enabled: v.enabled })),
    onSuccess: (_d, v) => {
      setNotice({ tone: "success", text: `${v.model.displayName} is now ${v.enabled ? "enabled" : "disabled"}${v.enabled ? "" : ": the playground no longer offers it"}.` });
      void queryClient.invalidateQueries({ queryKey: modelsQuery.queryKey });
    },
    onError: (e) => setNotice({ tone: "error", text: e.message }),
  });

  const retry = useMutation({
    mutationFn: (model: ModelDto) => unwrap(retryLocalModelAction({ id: model.id })),
    onSuccess: (_d, model) => {
      setNotice({ tone: "success", text: `${model.displayName} will start again on its next use.` });
      void queryClient.invalidateQueries({ queryKey: modelsQuery.queryKey });
    },
    onError: (e) => setNotice({ tone: "error", text: e.message }),
  });

  const providerNames = useMemo(() => [...new Set((models.data ?? []).map((m) => m.providerName))], [models.data]);
  const shown = (models.data ?? []).filter((m) => provider === "all" || m.providerName === provider);

  return (
    <div className="space-y-6">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <Card>
        <CardHeader
          title="Catalogue"
          description={canEdit ? "Prices are versioned: a change applies from now on, and past requests keep their price." : "Prices, context lengths and tags are set by admins."}
          actions={
            providerNames.length > 1 ? (
              <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
                Provider
                <select
                  value={provider}
                  onChange={(e) => setProvider(e.target.value)}
                  className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
                >
                  <option value="all">All</option>
                  {providerNames.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            ) : null
          }
        />
        {models.isPending ? (
          <div className="space-y-3 p-5" aria-busy="true">
            <Skeleton className="h-6 w-full" />
            <Skeleton className="h-6 w-full" />
            <Skeleton className="h-6 w-3/4" />
          </div>
        ) : models.isError ? (
          <div className="flex items-center justify-between gap-4 p-5">
            <Alert tone="error">Could not load models: {models.error.message}</Alert>
            <Button variant="secondary" onClick={() => models.refetch()}>
              Try again
            </Button>
          </div>
        ) : models.data.length === 0 ? (
          <div className="p-8 text-center">
            <p className="font-medium">No models yet</p>
            <p className="mx-auto mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
              Local models appear when .gguf files are in the models directory. Remote models are imported from a provider&apos;s list.
            </p>
            {canEdit ? (
              <Link href="/settings/providers" className="mt-4 inline-block text-sm font-medium text-accent-700 underline dark:text-accent-100">
                Go to Providers
              </Link>
            ) : null}
          </div>
        ) : (
          <ModelsTable
            models={shown}
            canEdit={canEdit}
            editingId={editingId}
            busyId={toggle.isPending ? (toggle.variables?.model.id ?? null) : null}
            onEdit={(m) => setEditingId(m?.id ?? null)}
            onToggleEnabled={(model, enabled) => toggle.mutate({ model, enabled })}
            onRetry={canEdit ? (model) => retry.mutate(model) : undefined}
            retryingId={retry.isPending ? (retry.variables?.id ?? null) : null}
            renderEditor={(m) => <Editor key={m.id} model={m} onSaved={(text) => setNotice({ tone: "success", text })} />}
          />
        )}
      </Card>
    </div>
  );
}
