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

/** A key's limits in words, as the keys table and the audit log show them: "models: a, b · 60/min · $5/month". */
export function describeKeyLimits(k: Pick<ApiKeyDto, "allowedModels" | "rpmLimit" | "monthlyBudgetUsd">): string {
  const parts = [
    k.allowedModels ? `models: ${k.allowedModels.join(", ")}` : "all models",
    k.rpmLimit ? `${k.rpmLimit}/min` : null,
    k.monthlyBudgetUsd ? `$${k.monthlyBudgetUsd}/month` : null,
  ];
  return parts.filter(Boolean).join(" · ");
}

export const apiKeysQuery = queryOptions({
  queryKey: ["api-keys"] as const,
  queryFn: () => fetchJson<ApiKeyDto[]>("/api/api-keys"),
});
