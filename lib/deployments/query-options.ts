// React-query keys, fetchers and DTOs for deployments (shared by the pages, the views and the routes).
import { queryOptions } from "@tanstack/react-query";
import type { DeploymentAdapter, DeploymentEngineSettings, DeploymentEventKind, ReplicaState } from "@/db/schema";
import { fetchJson } from "@/lib/query-client";
import type { ScalingSettings } from "./autoscaler";

/** `ready` once every desired replica is ready; `idle` when scaled to zero. */
export type DeploymentState = "ready" | "starting" | "degraded" | "failed" | "paused" | "idle";

export interface ReplicaDto {
  id: string;
  generation: number;
  state: ReplicaState;
  pid: number | null;
  port: number | null;
  restarts: number;
  error: string | null;
  startedAt: string;
  readyAt: string | null;
  /** From the replica's engine at the last sample (null when not sampled). */
  active: number | null;
  queued: number | null;
}

export interface DeploymentStatsDto {
  requestsPerMinute: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  errorRate: number | null;
  requests: number;
}

export interface DeploymentDto extends ScalingSettings {
  id: string;
  name: string;
  model: { id: string; name: string };
  adapters: DeploymentAdapter[];
  engine: DeploymentEngineSettings;
  failoverModel: { id: string; name: string } | null;
  status: "running" | "paused";
  state: DeploymentState;
  desiredReplicas: number;
  readyReplicas: number;
  generation: number;
  replicas: ReplicaDto[];
  /** Over the last 15 minutes, from the replicas' own metrics. */
  stats: DeploymentStatsDto;
  lastRequestAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeploymentEventDto {
  id: number;
  at: string;
  kind: DeploymentEventKind;
  message: string;
  replicaId: string | null;
}

export interface DeploymentSampleDto {
  at: string;
  readyReplicas: number;
  desiredReplicas: number;
  concurrency: number;
  requestsPerMinute: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

export interface DeploymentFormOptions {
  baseModels: { id: string; name: string }[];
  adapterFiles: { file: string; architecture: string | null }[];
  failoverModels: { id: string; name: string; providerName: string }[];
}

export const deploymentsQuery = queryOptions({
  queryKey: ["deployments"] as const,
  queryFn: () => fetchJson<DeploymentDto[]>("/api/deployments"),
  refetchInterval: 5_000,
});

export function deploymentQuery(name: string) {
  return queryOptions({
    queryKey: ["deployments", name] as const,
    queryFn: () => fetchJson<DeploymentDto>(`/api/deployments/${encodeURIComponent(name)}`),
    refetchInterval: 3_000,
  });
}

export function deploymentEventsQuery(name: string) {
  return queryOptions({
    queryKey: ["deployments", name, "events"] as const,
    queryFn: () => fetchJson<DeploymentEventDto[]>(`/api/deployments/${encodeURIComponent(name)}/events`),
    refetchInterval: 3_000,
  });
}

export function deploymentSamplesQuery(name: string) {
  return queryOptions({
    queryKey: ["deployments", name, "samples"] as const,
    queryFn: () => fetchJson<DeploymentSampleDto[]>(`/api/deployments/${encodeURIComponent(name)}/samples`),
    refetchInterval: 5_000,
  });
}

export const deploymentFormOptionsQuery = queryOptions({
  queryKey: ["deployments", "form-options"] as const,
  queryFn: () => fetchJson<DeploymentFormOptions>("/api/deployment-options"),
});
