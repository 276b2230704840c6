import type { Metadata } from "next";
import Link from "next/link";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { getFineTuningJobDetail } from "@/lib/fine-tuning/jobs";
import { fineTuningJobQuery } from "@/lib/fine-tuning/query-options";
import { prefetched } from "@/lib/query-client";
import { JobView } from "./job-view";

export const metadata: Metadata = { title: "Fine-tuning job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requirePageRole("viewer");
  const { id } = await params;
  const { db } = await getAuthContext();
  const detail = await getFineTuningJobDetail(db, id);
  return (
    <ConsolePage
      width="max-w-7xl"
      title={detail.job.fineTunedModel}
      description={`Fine-tuning ${detail.job.baseModel} on ${detail.job.datasetName ?? detail.job.datasetId}`}
      actions={
        <Link href="/fine-tuning" className="text-sm text-accent-700 hover:underline dark:text-accent-100">
          All jobs
        </Link>
      }
      hydrate={[prefetched(fineTuningJobQuery(id).queryKey, detail)]}
    >
      <JobView id={id} canCancel={hasRole(me.role, "member")} canDeploy={hasRole(me.role, "admin")} />
    </ConsolePage>
  );
}
