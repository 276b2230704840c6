// React-query keys and fetchers for API keys (shared by the page, its view and the GET route).
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";

/** What pages and API responses show of a key: never the secret or its hash. */
export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  owner: { id: string; email: string; name: string };
  allowedModels: string[] | null;
  rpmLimit: number | null;
  monthlyBudgetUsd: number | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export const apiKeysQuery = queryOptions({
  queryKey: ["api-keys"] as const,
  queryFn: () => fetchJson<ApiKeyDto[]>("/api/api-keys"),
});
