// React-query keys, fetchers and DTOs for /evals (browser-safe).
import { queryOptions } from "@tanstack/react-query";
import type { ParetoPoint } from "@/lib/charts/prepare-pareto";
import { fetchJson } from "@/lib/query-client";
import type { GraderSpec } from "./graders";
import type { ModelRunSummary } from "./summary";

export interface EvalOverviewDto {
  suites: { id: string; name: string; description: string; source: string; caseCount: number; graders: GraderSpec[]; createdAt: string }[];
  runs: { id: string; suiteName: string; status: string; total: number; models: string[]; createdAt: string }[];
  models: { id: string; name: string; providerName: string }[];
}

export interface EvalRunDetailDto {
  run: { id: string; suiteName: string; status: string; total: number; done: number; models: string[]; concurrency: number; createdAt: string; finishedAt: string | null };
  summaries: ModelRunSummary[];
  pareto: ParetoPoint[];
  cases: {
    idx: number;
    prompt: string;
    expected: string;
    results: Record<string, { output: string; score: number; grades: { type: string; score: number; reason: string }[]; status: string; error: string | null; ttftMs: number | null; costUsd: number | null; requestId: string | null }>;
  }[];
}

export const evalOverviewQuery = queryOptions({
  queryKey: ["evals", "overview"] as const,
  queryFn: () => fetchJson<EvalOverviewDto>("/api/evals"),
  refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "queued" || r.status === "running") ? 2_000 : false),
});

export function evalRunQuery(runId: string) {
  return queryOptions({
    queryKey: ["evals", "run", runId] as const,
    queryFn: () => fetchJson<EvalRunDetailDto>(`/api/evals/runs/${encodeURIComponent(runId)}`),
    refetchInterval: (q) => (q.state.data && (q.state.data.run.status === "queued" || q.state.data.run.status === "running") ? 1_500 : false),
  });
}
