import type { Metadata } from "next";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { listModels } from "@/lib/models/models";
import { modelsQuery } from "@/lib/models/query-options";
import { prefetched } from "@/lib/query-client";
import { ModelsView } from "./models-view";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const me = await requirePageRole("viewer");
  const models = await listModels(await getAuthContext());
  return (
    <ConsolePage
      width="max-w-7xl"
      title="Models"
      description="Every model from every provider, with its context length, price per million input and output tokens, and tags."
      hydrate={[prefetched(modelsQuery.queryKey, models)]}
    >
      <ModelsView canEdit={hasRole(me.role, "admin")} />
    </ConsolePage>
  );
}
