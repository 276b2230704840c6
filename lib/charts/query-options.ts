// React-query keys and fetchers for /charts. Browser-safe: types and fetch only.
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { RollupGrain } from "@/db/schema/usage-rollups";
import type { UsageDto } from "@/lib/metering/query-options";
import { fetchJson } from "@/lib/query-client";
import type { UsageBucketRow } from "./queries";
import type { RangeKey, UsageFilters } from "./schemas";

export interface UsageChartData {
  grain: RollupGrain;
  from: string;
  to: string;
  rows: UsageBucketRow[];
  budgets: Record<string, number>;
  options: Record<keyof UsageFilters, string[]>;
}

export interface ChartParams extends UsageFilters {
  range: RangeKey;
  from?: string;
  to?: string;
}

/** A stored request behind a chart point: the usage row, less what the table does not show. */
export type RequestRowDto = Pick<
  UsageDto,
  "requestId" | "at" | "source" | "providerName" | "modelName" | "inputTokens" | "outputTokens" | "ttftMs" | "totalMs" | "costUsd" | "status" | "errorCode"
>;

/**
 * What /charts shows first: the page prefetches it and the view starts from it. It lives here, not in
 * the "use client" view, because a server component importing a value from a client module gets a
 * reference to it, not the object (that made the page fail with "reading 'length' of undefined").
 */
export const DEFAULT_CHART_PARAMS: ChartParams = { range: "24h", model: [], provider: [], deployment: [], user: [], apiKey: [], source: [] };

export function chartSearchParams(p: ChartParams): URLSearchParams {
  const s = new URLSearchParams({ range: p.range });
  if (p.range === "custom" && p.from && p.to) {
    s.set("from", p.from);
    s.set("to", p.to);
  }
  for (const k of ["model", "provider", "deployment", "user", "apiKey", "source"] as const) if (p[k].length) s.set(k, p[k].join(","));
  return s;
}

export function usageChartQuery(p: ChartParams) {
  return queryOptions({
    queryKey: ["charts", "usage", chartSearchParams(p).toString()] as const,
    queryFn: () => fetchJson<UsageChartData>(`/api/charts/usage?${chartSearchParams(p)}`),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function requestsBehindQuery(p: ChartParams, point: { bucket: string; grain: RollupGrain; modelName?: string; status?: string }) {
  const s = chartSearchParams(p);
  s.set("bucket", point.bucket);
  s.set("grain", point.grain);
  if (point.modelName) s.set("point_model", point.modelName);
  if (point.status) s.set("status", point.status);
  return queryOptions({
    queryKey: ["charts", "requests", s.toString()] as const,
    queryFn: () => fetchJson<RequestRowDto[]>(`/api/charts/requests?${s}`),
  });
}
