// Model targets resolved in the last few seconds (lib/providers/resolve.ts), without the local
// engine's URL, which is read per call. Every playground call resolves its model, and those lookups
// were a large part of what the console added to time to first token. Writes to providers, models
// and prices call invalidateModelTargets() in this process; other instances sharing a PostgreSQL
// server see a change within TARGET_CACHE_MS.
import { processSingleton } from "@/lib/process-singleton";
import { TtlCache } from "@/lib/ttl-cache";
import type { ModelTarget } from "./resolve";

export const TARGET_CACHE_MS = 5_000;

export type CachedTarget = Omit<ModelTarget, "baseUrl"> & { baseUrl: string | null };

/** Resolved targets by model id, one cache per process. */
export function targetCache(): TtlCache<string, CachedTarget> {
  return processSingleton("kindling.model-targets", () => new TtlCache<string, CachedTarget>(TARGET_CACHE_MS, 1_000));
}

/** Model row ids by public id and by row id (lib/inference/resolve.ts), cleared with the targets. */
export function publicIdCache(): { current: { until: number; byId: Map<string, string> } | null } {
  return processSingleton("kindling.model-public-ids", () => ({ current: null }));
}

/** Forgets resolved targets; called after any write to providers, models or prices. */
export function invalidateModelTargets(): void {
  targetCache().clear();
  publicIdCache().current = null;
}
