"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { CreateKeyForm } from "@/components/api-keys/create-key-form";
import { NewKeySecret } from "@/components/api-keys/new-key-secret";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { formPropsOf } from "@/components/ui/use-form-submit";
import { apiKeysQuery, type ApiKeyDto } from "@/lib/api-keys/query-options";
import type { CreateApiKeyInput } from "@/lib/api-keys/schemas";
import { auditQuery } from "@/lib/audit/query-options";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

// Creating and revoking are audited, so the audit log is stale after each of them too.
const invalidate = [apiKeysQuery.queryKey, auditQuery.queryKey];

export function ApiKeysView({ currentUserId, isAdmin, gatewayUrl }: { currentUserId: string; isAdmin: boolean; gatewayUrl: string }) {
  const keys = useQuery(apiKeysQuery);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  const create = useActionMutation((input: CreateApiKeyInput) => createApiKeyAction(input), {
    invalidate,
    onSuccess: (r) => {
      setNotice(null);
      setCreated({ name: r.key.name, secret: r.secret });
    },
  });
  const revoke = useActionMutation((key: ApiKeyDto) => revokeApiKeyAction({ id: key.id }), {
    invalidate,
    onSuccess: (k) => setNotice({ tone: "success", text: `Revoked ${k.name} (${k.prefix}…). Requests with it are refused from now on.` }),
    onError: (e) => setNotice({ tone: "error", text: e.message }),
  });

  return (
    <div className="space-y-6">
      {created ? <NewKeySecret name={created.name} secret={created.secret} gatewayUrl={gatewayUrl} onDone={() => setCreated(null)} /> : null}
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <Card>
        <CardHeader
          title={isAdmin ? "All keys" : "Your keys"}
          description="Secrets are shown once, when a key is created; after that only the first characters identify a key."
        />
        <QueryState
          query={keys}
          what="API keys"
          loading={<SkeletonRows rows={2} />}
          empty={<EmptyState title="No API keys yet" description="Create one below to call models from your own code." />}
        >
          {(data) => (
            <ApiKeysTable
              keys={data}
              currentUserId={currentUserId}
              showOwner={isAdmin}
              busyId={revoke.isPending ? (revoke.variables?.id ?? null) : null}
              onRevoke={(key) => {
                if (window.confirm(`Revoke ${key.name} (${key.prefix}…)? Apps using it stop working.`)) revoke.mutate(key);
              }}
            />
          )}
        </QueryState>
      </Card>
      <Card>
        <CardHeader title="Create a key" description="For yourself: it acts with your role and stops working if you are removed or become a viewer." />
        <CreateKeyForm {...formPropsOf(create)} />
      </Card>
    </div>
  );
}
