// React-query keys, fetchers and DTOs for the model catalogue (shared by the page, the view and routes).
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";

export interface PriceDto {
  id: number;
  inputPerMillion: number;
  outputPerMillion: number;
  effectiveFrom: string;
}

export interface ModelDto {
  id: string;
  name: string;
  displayName: string;
  providerId: string;
  providerName: string;
  providerKind: "local" | "openai-compatible";
  contextLength: number | null;
  tags: string[];
  enabled: boolean;
  /** False for a local model whose file is gone from the models directory. */
  available: boolean;
  /** Local models only: the engine of this server process for the model (started on first use). */
  engine: { status: "idle" | "starting" | "ready" | "failed"; error: string | null } | null;
  price: PriceDto | null;
}

export const modelsQuery = queryOptions({
  queryKey: ["models"] as const,
  queryFn: () => fetchJson<ModelDto[]>("/api/models"),
});

export function priceHistoryQuery(modelId: string) {
  return queryOptions({
    queryKey: ["models", modelId, "prices"] as const,
    queryFn: () => fetchJson<PriceDto[]>(`/api/models/${encodeURIComponent(modelId)}/prices`),
  });
}

/** Tags offered in the editor; any other short lowercase tag is allowed too. */
export const SUGGESTED_TAGS = ["reasoning", "fast", "cheap", "json", "tools", "vision", "local"] as const;
