"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ConnectionPanel } from "@/components/providers/connection-panel";
import { ProviderForm, type ProviderFormValues } from "@/components/providers/provider-form";
import { ProvidersTable } from "@/components/providers/providers-table";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryState } from "@/components/ui/query-state";
import { formPropsOf } from "@/components/ui/use-form-submit";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import type { ErrorCode } from "@/lib/errors";
import { modelsQuery } from "@/lib/models/query-options";
import { providersQuery, type ConnectionResultDto, type ProviderDto } from "@/lib/providers/query-options";
import {
  createProviderAction,
  deleteProviderAction,
  importModelsAction,
  rescanLocalModelsAction,
  testConnectionAction,
  updateProviderAction,
} from "./actions";

type Connection = { provider: ProviderDto } & (
  | { status: "pending" }
  | { status: "error"; code: ErrorCode; message: string }
  | { status: "ok"; result: ConnectionResultDto }
);

export function ProvidersView() {
  const providers = useQuery(providersQuery);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string; toModels?: boolean } | null>(null);
  const [editing, setEditing] = useState<ProviderDto | null>(null);
  const [connection, setConnection] = useState<Connection | null>(null);
  // Provider changes add, remove and rename models too.
  const invalidate = [providersQuery.queryKey, modelsQuery.queryKey];
  const onError = (e: Error) => setNotice({ tone: "error", text: e.message });

  const save = useActionMutation(
    (v: ProviderFormValues) =>
      editing ? updateProviderAction({ id: editing.id, ...v }) : createProviderAction({ name: v.name, baseUrl: v.baseUrl, apiKey: v.apiKey }),
    {
      invalidate,
      onSuccess: (p) => {
        setNotice({ tone: "success", text: editing ? `Saved ${p.name}.` : `Added ${p.name}. Test the connection to import its models.` });
        setEditing(null);
      },
    },
  );
  const remove = useActionMutation((p: ProviderDto) => deleteProviderAction({ id: p.id }), {
    invalidate,
    onSuccess: (_d, p) => {
      setNotice({ tone: "success", text: `Removed ${p.name} and its models.` });
      if (connection?.provider.id === p.id) setConnection(null);
      if (editing?.id === p.id) setEditing(null);
    },
    onError,
  });
  const test = useActionMutation((p: ProviderDto) => testConnectionAction({ id: p.id }), {
    onMutate: (p) => setConnection({ provider: p, status: "pending" }),
    onSuccess: (result, p) => setConnection({ provider: p, status: "ok", result }),
    onError: (e, p) => setConnection({ provider: p, status: "error", code: e.code, message: e.message }),
  });
  const importModels = useActionMutation((v: { provider: ProviderDto; names: string[] }) => importModelsAction({ providerId: v.provider.id, names: v.names }), {
    invalidate,
    onSuccess: (r, v) => {
      setNotice({
        tone: "success",
        text: `Imported ${r.imported.length} ${r.imported.length === 1 ? "model" : "models"} from ${v.provider.name}. Set their prices on the Models page.`,
        toModels: true,
      });
      test.mutate(v.provider);
    },
    onError,
  });
  const rescan = useActionMutation(() => rescanLocalModelsAction({}), {
    invalidate,
    onSuccess: (r) => {
      const parts = [`${r.added.length} new`, `${r.missing.length} missing`];
      if (r.unreadable.length) parts.push(`${r.unreadable.length} unreadable (${r.unreadable.join(", ")})`);
      if (r.retried.length) parts.push(`failed engines cleared to start again (${r.retried.join(", ")})`);
      setNotice({ tone: "success", text: `Rescanned the models directory: ${parts.join(", ")}.` });
    },
    onError,
  });

  const busyId = remove.isPending ? (remove.variables?.id ?? null) : test.isPending ? (test.variables?.id ?? null) : null;

  return (
    <div className="space-y-6">
      {notice ? (
        <Alert tone={notice.tone}>
          {notice.text}{" "}
          {notice.toModels ? (
            <Link href="/models" className="font-medium underline">
              Open Models
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <Card>
        <CardHeader title="Providers" description="Where models run. The local engine is built in; add any OpenAI-compatible endpoint beside it." />
        <QueryState query={providers} what="providers">
          {(data) => (
            <>
              <ProvidersTable
                providers={data}
                busyId={busyId}
                onTest={(p) => test.mutate(p)}
                onEdit={(p) => {
                  save.reset();
                  setEditing(p);
                }}
                onRemove={(p) => {
                  const models = p.modelCount === 1 ? "its 1 model" : `its ${p.modelCount} models`;
                  if (window.confirm(`Remove ${p.name} and ${models}? Usage history keeps their names.`)) remove.mutate(p);
                }}
                onRescan={() => rescan.mutate()}
              />
              {data.every((p) => p.kind === "local") ? (
                <p className="border-t border-zinc-200 px-5 py-4 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                  No remote providers yet. Add a vLLM, Ollama, llama.cpp server or hosted API below; Kindling lists its models and you choose which to import.
                </p>
              ) : null}
              {connection ? (
                <ConnectionPanel
                  key={connection.provider.id}
                  providerName={connection.provider.name}
                  state={connection}
                  importing={importModels.isPending}
                  onImport={(names) => importModels.mutate({ provider: connection.provider, names })}
                  onRetry={() => test.mutate(connection.provider)}
                  onClose={() => setConnection(null)}
                />
              ) : null}
            </>
          )}
        </QueryState>
      </Card>
      <Card>
        <CardHeader
          title={editing ? `Edit ${editing.name}` : "Add an OpenAI-compatible provider"}
          description="Kindling calls {base URL}/models and {base URL}/chat/completions, with the key as a Bearer token. Redirects are never followed."
        />
        <ProviderForm
          {...formPropsOf(save)}
          editing={editing}
          onCancel={
            editing
              ? () => {
                  setEditing(null);
                  save.reset();
                }
              : undefined
          }
        />
      </Card>
    </div>
  );
}
