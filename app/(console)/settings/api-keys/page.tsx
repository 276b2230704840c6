import type { Metadata } from "next";
import { ConsolePage } from "@/components/shell/console-page";
import { listApiKeys } from "@/lib/api-keys/api-keys";
import { apiKeysQuery } from "@/lib/api-keys/query-options";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { publicUrl } from "@/lib/env";
import { prefetched } from "@/lib/query-client";
import { ApiKeysView } from "./api-keys-view";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const me = await requirePageRole("member");
  const { db } = await getAuthContext();
  const keys = await listApiKeys(db, me);
  const isAdmin = me.role === "admin";
  return (
    <ConsolePage
      width="max-w-7xl"
      title="API keys"
      description={`Keys for the OpenAI-compatible gateway at ${publicUrl()}/v1. A key acts with its owner's role.${isAdmin ? " As an admin you see and can revoke everyone's keys." : ""}`}
      hydrate={[prefetched(apiKeysQuery.queryKey, keys)]}
    >
      <ApiKeysView currentUserId={me.id} isAdmin={isAdmin} gatewayUrl={`${publicUrl()}/v1`} />
    </ConsolePage>
  );
}
