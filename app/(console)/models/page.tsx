import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { listModels } from "@/lib/models/models";
import { modelsQuery } from "@/lib/models/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { ModelsView } from "./models-view";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const me = await requirePageRole("viewer");
  const queryClient = makeQueryClient();
  queryClient.setQueryData(modelsQuery.queryKey, await listModels(await getAuthContext()));
  return (
    <div className="max-w-7xl">
      <PageHeader
        title="Models"
        description="Every model from every provider, with its context length, price per million input and output tokens, and tags."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ModelsView canEdit={hasRole(me.role, "admin")} />
      </HydrationBoundary>
    </div>
  );
}
