import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { listProviders } from "@/lib/providers/providers";
import { providersQuery } from "@/lib/providers/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { ProvidersView } from "./providers-view";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  await requirePageRole("admin");
  const queryClient = makeQueryClient();
  queryClient.setQueryData(providersQuery.queryKey, await listProviders(await getAuthContext()));
  return (
    <div className="max-w-6xl">
      <PageHeader
        title="Providers"
        description="The built-in local engine and the OpenAI-compatible endpoints models are served from. API keys are encrypted at rest and never sent back to the browser."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ProvidersView />
      </HydrationBoundary>
    </div>
  );
}
