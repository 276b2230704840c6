// React-query keys, fetchers and DTOs for providers (shared by the page, the view and the route).
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";

/** What the browser may know about a provider: never the key, only its last four characters. */
export interface ProviderDto {
  id: string;
  name: string;
  kind: "local" | "openai-compatible";
  baseUrl: string | null;
  apiKeyHint: string | null;
  modelCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface RemoteModelDto {
  /** The model id at the provider. */
  id: string;
  contextLength: number | null;
  imported: boolean;
}

export interface ConnectionResultDto {
  providerId: string;
  latencyMs: number;
  models: RemoteModelDto[];
}

export const providersQuery = queryOptions({
  queryKey: ["providers"] as const,
  queryFn: () => fetchJson<ProviderDto[]>("/api/providers"),
});
