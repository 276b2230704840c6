import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets/datasets";
import { listBaseModels } from "@/lib/fine-tuning/bases";
import { basesQuery, datasetsQuery } from "@/lib/fine-tuning/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { WizardView } from "./wizard-view";

export const metadata: Metadata = { title: "New fine-tune" };

export default async function NewFineTunePage() {
  await requirePageRole("member");
  const { db } = await getAuthContext();
  const queryClient = makeQueryClient();
  const [datasets, bases] = await Promise.all([listDatasets(db), listBaseModels()]);
  queryClient.setQueryData(datasetsQuery.queryKey, datasets);
  queryClient.setQueryData(basesQuery.queryKey, bases.map(({ path: _path, ...rest }) => rest));
  return (
    <div className="max-w-4xl">
      <PageHeader title="New fine-tune" description="One step at a time; going back keeps what you entered." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <WizardView />
      </HydrationBoundary>
    </div>
  );
}
