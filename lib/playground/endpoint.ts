// "View code": where a panel's model is reached through the console's gateway, and under which name.
import "server-only";
import type { Db } from "@/db/client";
import { publicUrl } from "@/lib/env";
import { listRegisteredModels, resolveTarget } from "@/lib/inference/resolve";
import { gatewayEndpoint } from "./code-snippets";
import type { EndpointDto } from "./query-options";

export async function getPlaygroundEndpoint(db: Db, modelId: string): Promise<EndpointDto> {
  // A registered name (a deployment, one of its adapters) is looked up, not resolved: resolving
  // routes to a replica, so it would wake one scaled to zero, or name the failover of a paused one.
  const registered = (await listRegisteredModels(db)).find((m) => m.id === modelId);
  if (registered) {
    return { ...gatewayEndpoint(publicUrl(), registered.id), providerName: registered.group, providerKind: registered.ownedBy, providerBaseUrl: null };
  }
  const target = await resolveTarget(db, modelId);
  return {
    ...gatewayEndpoint(publicUrl(), target.publicId),
    providerName: target.provider.name,
    providerKind: target.provider.kind,
    providerBaseUrl: target.baseUrl,
  };
}
