// React-query keys and fetchers for fine-tuning (datasets, bases, jobs), shared by pages and views.
import { queryOptions } from "@tanstack/react-query";
import type { DatasetDto } from "@/lib/datasets/datasets";
import { fetchJson } from "@/lib/query-client";
import type { BaseModel, BaseModelDto } from "./bases";
import type { FineTuningJobDetail, FineTuningJobDto } from "./jobs";
import type { Estimate } from "./estimate";
import type { Hyperparameters, ValidationSource } from "./schemas";

export type { DatasetDto, BaseModel, FineTuningJobDetail, FineTuningJobDto, Estimate };

export const datasetsQuery = queryOptions({
  queryKey: ["fine-tuning", "datasets"] as const,
  queryFn: () => fetchJson<DatasetDto[]>("/api/fine-tuning/datasets"),
});

export const basesQuery = queryOptions({
  queryKey: ["fine-tuning", "bases"] as const,
  queryFn: () => fetchJson<BaseModelDto[]>("/api/fine-tuning/bases"),
});

const isLive = (status: string | undefined) => status === "queued" || status === "running";

export const fineTuningJobsQuery = queryOptions({
  queryKey: ["fine-tuning", "jobs"] as const,
  queryFn: () => fetchJson<FineTuningJobDto[]>("/api/fine-tuning/jobs"),
  refetchInterval: (q) => ((q.state.data ?? []).some((j) => isLive(j.status)) ? 2000 : false),
});

export function fineTuningJobQuery(id: string) {
  return queryOptions({
    queryKey: ["fine-tuning", "jobs", id] as const,
    queryFn: () => fetchJson<FineTuningJobDetail>(`/api/fine-tuning/jobs/${encodeURIComponent(id)}`),
    // While it trains, the curve and the progress come from stored points every second.
    refetchInterval: (q) => (isLive(q.state.data?.job.status) ? 1000 : false),
  });
}

export function estimateQuery(input: { baseModel: string; datasetId: string; validation: ValidationSource; hyperparameters: Hyperparameters }) {
  const params = new URLSearchParams({
    baseModel: input.baseModel,
    datasetId: input.datasetId,
    validation: JSON.stringify(input.validation),
    hyperparameters: JSON.stringify(input.hyperparameters),
  });
  return queryOptions({
    queryKey: ["fine-tuning", "estimate", input] as const,
    queryFn: () => fetchJson<Estimate>(`/api/fine-tuning/estimate?${params}`),
  });
}
