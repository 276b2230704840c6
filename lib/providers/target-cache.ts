// Model targets resolved in the last few seconds (lib/providers/resolve.ts), without the local
// engine's URL, which is read per call. Every playground call resolves its model, and those lookups
// were a large part of what the console added to time to first token. Writes to providers, models
// and prices call invalidateModelTargets() in this process; other instances sharing a PostgreSQL
// server see a change within TARGET_CACHE_MS. On globalThis: Next's bundles are separate module graphs.
import type { ModelTarget } from "./resolve";

export const TARGET_CACHE_MS = 5_000;

export type CachedTarget = Omit<ModelTarget, "baseUrl"> & { baseUrl: string | null; until: number };

const holder = globalThis as unknown as {
  __kindlingTargets?: Map<string, CachedTarget>;
  __kindlingPublicIds?: { until: number; byId: Map<string, string> };
};

/** Model row ids by public id and by row id (lib/inference/resolve.ts), cleared with the targets. */
export const publicIdCache = {
  get: () => holder.__kindlingPublicIds,
  set: (value: { until: number; byId: Map<string, string> }) => {
    holder.__kindlingPublicIds = value;
  },
};

export function targetCache(): Map<string, CachedTarget> {
  holder.__kindlingTargets ??= new Map();
  return holder.__kindlingTargets;
}

/** Forgets resolved targets; called after any write to providers, models or prices. */
export function invalidateModelTargets(): void {
  targetCache().clear();
  holder.__kindlingPublicIds = undefined;
}
