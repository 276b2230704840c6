// The models a playground panel can pick: the catalogue (local, then remote providers) with the names
// registered resolvers serve (deployments and their adapters) between local and remote, in their own group.
import "server-only";
import type { Db } from "@/db/client";
import { listRegisteredModels } from "@/lib/inference/resolve";
import { listPickerModels } from "@/lib/providers/resolve";
import type { PickerModelDto } from "./query-options";

export async function listPlaygroundModels(db: Db): Promise<PickerModelDto[]> {
  const [catalogue, registered] = await Promise.all([listPickerModels(db), listRegisteredModels(db)]);
  const named: PickerModelDto[] = registered.map((m) => ({
    id: m.id,
    displayName: m.displayName,
    name: m.id,
    providerName: m.group,
    providerKind: m.ownedBy,
    contextLength: m.contextLength,
    tags: [],
    price: null,
    status: m.status,
    note: m.note,
  }));
  const models: PickerModelDto[] = catalogue.map((m) => ({ ...m, status: null, note: null }));
  const firstRemote = models.findIndex((m) => m.providerKind !== "local");
  const at = firstRemote < 0 ? models.length : firstRemote;
  return [...models.slice(0, at), ...named, ...models.slice(at)];
}
