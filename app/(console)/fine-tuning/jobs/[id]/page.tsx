import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { getFineTuningJobDetail } from "@/lib/fine-tuning/jobs";
import { fineTuningJobQuery } from "@/lib/fine-tuning/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { JobView } from "./job-view";

export const metadata: Metadata = { title: "Fine-tuning job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requirePageRole("viewer");
  const { id } = await params;
  const { db } = await getAuthContext();
  const queryClient = makeQueryClient();
  const detail = await getFineTuningJobDetail(db, id);
  queryClient.setQueryData(fineTuningJobQuery(id).queryKey, detail);
  return (
    <div className="max-w-7xl">
      <PageHeader
        title={detail.job.fineTunedModel}
        description={`Fine-tuning ${detail.job.baseModel} on ${detail.job.datasetName ?? detail.job.datasetId}`}
        actions={
          <Link href="/fine-tuning" className="text-sm text-accent-700 hover:underline dark:text-accent-100">
            All jobs
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <JobView id={id} canCancel={hasRole(me.role, "member")} canDeploy={hasRole(me.role, "admin")} />
      </HydrationBoundary>
    </div>
  );
}
