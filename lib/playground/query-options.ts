// React-query keys and fetchers for the playground.
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";
import type { SavedPromptData } from "./saved-prompt-data";

export interface SavedPromptSummaryDto {
  id: string;
  name: string;
  createdByEmail: string | null;
  updatedAt: string;
}

export const savedPromptsQuery = queryOptions({
  queryKey: ["saved-prompts"] as const,
  queryFn: () => fetchJson<SavedPromptSummaryDto[]>("/api/playground/saved-prompts"),
});

export const savedPromptQuery = (id: string) =>
  queryOptions({
    queryKey: ["saved-prompts", id] as const,
    queryFn: () => fetchJson<{ id: string; name: string; data: SavedPromptData }>(`/api/playground/saved-prompts/${encodeURIComponent(id)}`),
    staleTime: 0,
  });

export interface EndpointDto {
  baseUrl: string;
  model: string;
  providerName: string;
  providerKind: string;
  apiKeyEnv: string;
  /** What to set before running the snippet. */
  note: string;
}

export const endpointQuery = (modelId: string) =>
  queryOptions({
    queryKey: ["playground-endpoint", modelId] as const,
    queryFn: () => fetchJson<EndpointDto>(`/api/playground/endpoint?modelId=${encodeURIComponent(modelId)}`),
    staleTime: 0,
  });
