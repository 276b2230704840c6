import type { Metadata } from "next";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets/datasets";
import { listBaseModelDtos } from "@/lib/fine-tuning/bases";
import { basesQuery, datasetsQuery } from "@/lib/fine-tuning/query-options";
import { prefetched } from "@/lib/query-client";
import { WizardView } from "./wizard-view";

export const metadata: Metadata = { title: "New fine-tune" };

export default async function NewFineTunePage() {
  await requirePageRole("member");
  const { db } = await getAuthContext();
  const [datasets, bases] = await Promise.all([listDatasets(db), listBaseModelDtos()]);
  return (
    <ConsolePage
      width="max-w-4xl"
      title="New fine-tune"
      description="One step at a time; going back keeps what you entered."
      hydrate={[prefetched(datasetsQuery.queryKey, datasets), prefetched(basesQuery.queryKey, bases)]}
    >
      <WizardView />
    </ConsolePage>
  );
}
