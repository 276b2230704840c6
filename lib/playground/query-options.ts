// React-query keys, fetchers and DTOs for the playground.
import { queryOptions } from "@tanstack/react-query";
import type { PickerModel } from "@/lib/providers/resolve";
import { fetchJson } from "@/lib/query-client";
import type { SavedPromptData } from "./saved-prompt-data";

export type PickerModelDto = PickerModel;

/** Models a panel can pick; refetched when the tab regains focus, so a model enabled meanwhile appears. */
export const pickerModelsQuery = queryOptions({
  queryKey: ["playground", "models"] as const,
  queryFn: () => fetchJson<PickerModelDto[]>("/api/playground/models"),
  refetchOnWindowFocus: true,
});

export interface SavedPromptSummaryDto {
  id: string;
  name: string;
  createdByEmail: string | null;
  updatedAt: string;
}

export const savedPromptsQuery = queryOptions({
  queryKey: ["playground", "saved-prompts"] as const,
  queryFn: () => fetchJson<SavedPromptSummaryDto[]>("/api/playground/saved-prompts"),
});

export const savedPromptQuery = (id: string) =>
  queryOptions({
    queryKey: ["playground", "saved-prompts", id] as const,
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
    queryKey: ["playground", "endpoint", modelId] as const,
    queryFn: () => fetchJson<EndpointDto>(`/api/playground/endpoint?modelId=${encodeURIComponent(modelId)}`),
    staleTime: 0,
  });
