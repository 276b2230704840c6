import { QueryClient, type InferDataFromTag, type QueryKey } from "@tanstack/react-query";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Data hydrated from the server is fresh for a while; no refetch storm on first render.
      queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}

/** What page.tsx read for one query, handed to the view under the same key (<ConsolePage hydrate>). */
export interface Prefetched {
  queryKey: QueryKey;
  data: unknown;
}

/** A typed Prefetched: the data must be what the key's queryOptions return. */
export function prefetched<K extends QueryKey>(queryKey: K, data: InferDataFromTag<unknown, K>): Prefetched {
  return { queryKey, data };
}

/** GET a JSON route handler; errors carry the server's code and plain message. */
export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.error?.message ?? `Request failed (${response.status})`) as Error & { code?: string };
    error.code = body?.error?.code;
    throw error;
  }
  return body as T;
}
