import type { Metadata } from "next";
import Link from "next/link";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { listFineTuningJobs } from "@/lib/fine-tuning/jobs";
import { fineTuningJobsQuery } from "@/lib/fine-tuning/query-options";
import { prefetched } from "@/lib/query-client";
import { FineTuningView } from "./fine-tuning-view";

export const metadata: Metadata = { title: "Fine-tuning" };

export default async function FineTuningPage() {
  const me = await requirePageRole("viewer");
  const { db } = await getAuthContext();
  const jobs = await listFineTuningJobs(db);
  const canRun = hasRole(me.role, "member");
  return (
    <ConsolePage
      width="max-w-7xl"
      title="Fine-tuning"
      description="Fine-tune a local model on your examples on this machine, watch the loss, and compare the result with its base. One job trains at a time; the others wait in the queue."
      actions={
        <div className="flex gap-2">
          <Link href="/fine-tuning/datasets" className="inline-flex h-10 items-center rounded-md border border-zinc-300 px-4 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
            Datasets
          </Link>
          {canRun ? (
            <Link href="/fine-tuning/new" className="inline-flex h-10 items-center rounded-md bg-accent-700 px-4 text-sm font-medium text-white hover:bg-accent-800">
              New fine-tune
            </Link>
          ) : null}
        </div>
      }
      hydrate={[prefetched(fineTuningJobsQuery.queryKey, jobs)]}
    >
      <FineTuningView />
    </ConsolePage>
  );
}
