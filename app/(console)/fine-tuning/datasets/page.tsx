import type { Metadata } from "next";
import Link from "next/link";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets/datasets";
import { listBaseModelDtos } from "@/lib/fine-tuning/bases";
import { basesQuery, datasetsQuery } from "@/lib/fine-tuning/query-options";
import { prefetched } from "@/lib/query-client";
import { DatasetsView } from "./datasets-view";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const me = await requirePageRole("viewer");
  const { db } = await getAuthContext();
  const [datasets, bases] = await Promise.all([listDatasets(db), listBaseModelDtos()]);
  return (
    <ConsolePage
      width="max-w-7xl"
      title="Datasets"
      description="Training examples for fine-tuning: JSONL in OpenAI's chat format or prompt/completion pairs, or CSV with a column mapping. Every line is checked; a file with bad lines is refused with each one named."
      actions={
        <Link href="/fine-tuning" className="text-sm text-accent-700 hover:underline dark:text-accent-100">
          Back to jobs
        </Link>
      }
      hydrate={[prefetched(datasetsQuery.queryKey, datasets), prefetched(basesQuery.queryKey, bases)]}
    >
      <DatasetsView canUpload={hasRole(me.role, "member")} />
    </ConsolePage>
  );
}
