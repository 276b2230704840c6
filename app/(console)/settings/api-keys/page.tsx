import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/api-keys/api-keys";
import { apiKeysQuery } from "@/lib/api-keys/query-options";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { publicUrl } from "@/lib/env";
import { makeQueryClient } from "@/lib/query-client";
import { ApiKeysView } from "./api-keys-view";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const me = await requirePageRole("member");
  const queryClient = makeQueryClient();
  const { db } = await getAuthContext();
  queryClient.setQueryData(apiKeysQuery.queryKey, await listApiKeys(db, me));
  const isAdmin = me.role === "admin";
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="API keys"
        description={`Keys for the OpenAI-compatible gateway at ${publicUrl()}/v1. A key acts with its owner's role.${isAdmin ? " As an admin you see and can revoke everyone's keys." : ""}`}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ApiKeysView currentUserId={me.id} isAdmin={isAdmin} gatewayUrl={`${publicUrl()}/v1`} />
      </HydrationBoundary>
    </div>
  );
}
