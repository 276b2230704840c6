"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { duration, pct } from "@/components/fine-tuning/format";
import { JobStatusBadge } from "@/components/fine-tuning/job-status-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { fineTuningJobsQuery, type FineTuningJobDto } from "@/lib/fine-tuning/query-options";
import { When } from "@/components/ui/when";

export function FineTuningView() {
  const jobs = useQuery(fineTuningJobsQuery);
  return (
    <QueryState
      query={jobs}
      what="the fine-tuning jobs"
      loading={<Skeleton className="h-40 w-full" />}
      empty={
        <Card>
          <EmptyState
            title="No fine-tuning jobs yet."
            description="Upload a dataset on Datasets, then start a fine-tune with New fine-tune: the wizard walks through the base model, the dataset, the method and its settings before you launch."
          />
        </Card>
      }
    >
      {(data) => <JobsTable jobs={data} />}
    </QueryState>
  );
}

function JobsTable({ jobs }: { jobs: FineTuningJobDto[] }) {
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="border-b border-zinc-200 text-left text-xs uppercase text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th className="px-4 py-2 font-medium">Job</th>
            <th className="px-4 py-2 font-medium">Status</th>
            <th className="px-4 py-2 font-medium">Base</th>
            <th className="px-4 py-2 font-medium">Dataset</th>
            <th className="px-4 py-2 font-medium">Method</th>
            <th className="px-4 py-2 font-medium">Progress</th>
            <th className="px-4 py-2 font-medium">Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
              <td className="whitespace-nowrap px-4 py-2">
                <Link href={`/fine-tuning/jobs/${j.id}`} className="font-medium text-accent-700 hover:underline dark:text-accent-100">
                  {j.fineTunedModel}
                </Link>
              </td>
              <td className="px-4 py-2">
                <JobStatusBadge status={j.status} cancelRequested={j.cancelRequested} />
              </td>
              <td className="px-4 py-2">{j.baseModel}</td>
              <td className="px-4 py-2">{j.datasetName ?? j.datasetId}</td>
              <td className="px-4 py-2">{j.method === "lora" ? "LoRA" : "Full"}</td>
              <td className="px-4 py-2 tabular-nums">
                {j.progress
                  ? `${pct(j.progress.step / Math.max(1, j.progress.totalSteps))}${j.status === "running" ? `, ${duration(j.progress.etaSeconds)} left` : ""}`
                  : "-"}
              </td>
              <td className="px-4 py-2 text-zinc-500"><When iso={j.createdAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
