"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { ModelEditor, type ModelDetailsValues } from "@/components/models/model-editor";
import { ModelsTable } from "@/components/models/models-table";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import { modelsQuery, priceHistoryQuery, type ModelDto } from "@/lib/models/query-options";
import { changePriceAction, retryLocalModelAction, updateModelAction } from "./actions";

function Editor({ model, onSaved }: { model: ModelDto; onSaved: (text: string) => void }) {
  const history = useQuery(priceHistoryQuery(model.id));
  const details = useActionMutation((v: ModelDetailsValues) => updateModelAction({ id: model.id, ...v }), {
    invalidate: [modelsQuery.queryKey],
    onSuccess: () => onSaved(`Saved ${model.displayName}.`),
  });
  // ["models"] prefixes the price history's key, so the history refetches too.
  const price = useActionMutation((v: { inputPerMillion: number; outputPerMillion: number }) => changePriceAction({ modelId: model.id, ...v }), {
    invalidate: [modelsQuery.queryKey],
    onSuccess: () => onSaved(`New price for ${model.displayName} saved; it applies from now on.`),
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
      detailsError={details.error}
      priceError={price.error}
    />
  );
}

export function ModelsView({ canEdit }: { canEdit: boolean }) {
  const models = useQuery(modelsQuery);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [provider, setProvider] = useState("all");
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const toggle = useActionMutation((v: { model: ModelDto; enabled: boolean }) => updateModelAction({ id: v.model.id, enabled: v.enabled }), {
    invalidate: [modelsQuery.queryKey],
    onSuccess: (_d, v) =>
      setNotice({ tone: "success", text: `${v.model.displayName} is now ${v.enabled ? "enabled" : "disabled"}${v.enabled ? "" : ": the playground no longer offers it"}.` }),
    onError: (e) => setNotice({ tone: "error", text: e.message }),
  });

  const retry = useActionMutation((model: ModelDto) => retryLocalModelAction({ id: model.id }), {
    invalidate: [modelsQuery.queryKey],
    onSuccess: (_d, model) => setNotice({ tone: "success", text: `${model.displayName} will start again on its next use.` }),
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
        <QueryState
          query={models}
          what="models"
          loading={<SkeletonRows rows={3} rowClassName="h-6" />}
          empty={
            <EmptyState
              title="No models yet"
              description="Local models appear when .gguf files are in the models directory. Remote models are imported from a provider's list."
              action={
                canEdit ? (
                  <Link href="/settings/providers" className="text-sm font-medium text-accent-700 underline dark:text-accent-100">
                    Go to Providers
                  </Link>
                ) : null
              }
            />
          }
        >
          {() => (
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
        </QueryState>
      </Card>
    </div>
  );
}
