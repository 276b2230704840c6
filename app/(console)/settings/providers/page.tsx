import type { Metadata } from "next";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { listProviders } from "@/lib/providers/providers";
import { providersQuery } from "@/lib/providers/query-options";
import { prefetched } from "@/lib/query-client";
import { ProvidersView } from "./providers-view";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  await requirePageRole("admin");
  const providers = await listProviders(await getAuthContext());
  return (
    <ConsolePage
      width="max-w-6xl"
      title="Providers"
      description="The built-in local engine and the OpenAI-compatible endpoints models are served from. API keys are encrypted at rest and never sent back to the browser."
      hydrate={[prefetched(providersQuery.queryKey, providers)]}
    >
      <ProvidersView />
    </ConsolePage>
  );
}
