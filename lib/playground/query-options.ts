// React-query keys, fetchers and DTOs for the playground.
import { queryOptions } from "@tanstack/react-query";
import type { PickerModel } from "@/lib/providers/resolve";
import { fetchJson } from "@/lib/query-client";
import type { SavedPromptData } from "./saved-prompt-data";

/**
 * A model a panel can pick. `id` is what the chat call sends as `model`. Deployments have
 * providerKind "deployment" and providerName "Deployments" (the group), and say how they answer now.
 */
export interface PickerModelDto extends PickerModel {
  /** A word or two beside the name, e.g. "scaled to zero" (null for catalogue models). */
  status: string | null;
  /** Shown under the picker when the first answer will wait or come from elsewhere. */
  note: string | null;
}

/** Models a panel can pick (lib/playground/picker-models.ts); refetched when the tab regains focus, so a model enabled meanwhile appears. */
export const pickerModelsQuery = queryOptions({
  queryKey: ["playground", "models"] as const,
  queryFn: () => fetchJson<PickerModelDto[]>("/api/playground/models"),
  refetchOnWindowFocus: true,
  // While a deployment is not ready (starting, scaled to zero...), so its note clears once it serves.
  refetchInterval: (query) => (query.state.data?.some((m) => m.note) ? 10_000 : false),
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
  /** The provider's own URL (the local engine's current port), which benchmarks compare against; null for a deployment, whose replica changes per request. */
  providerBaseUrl: string | null;
}

export const endpointQuery = (modelId: string) =>
  queryOptions({
    queryKey: ["playground", "endpoint", modelId] as const,
    queryFn: () => fetchJson<EndpointDto>(`/api/playground/endpoint?modelId=${encodeURIComponent(modelId)}`),
    staleTime: 0,
  });
