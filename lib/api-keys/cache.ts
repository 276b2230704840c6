// Verified API keys by secret hash, for a few seconds: the gateway checks the key on every request,
// and a database round trip there would be most of what it adds to time to first token. Revoking a
// key and changing or removing a member clear it in this process; other instances sharing a
// PostgreSQL server see such a change within API_KEY_CACHE_MS. Small, so lib/members can clear it.
import { processSingleton } from "@/lib/process-singleton";
import type { VerifiedApiKey } from "./api-keys";

export const API_KEY_CACHE_MS = 5_000;

interface Entry {
  key: VerifiedApiKey | null;
  until: number;
  lastUsedWritten: number;
}

export function verifiedKeyCache(): Map<string, Entry> {
  const map = processSingleton("kindling.api-keys.verified", () => new Map<string, Entry>());
  // Bounded: a flood of made-up keys must not grow memory (each miss is a lookup anyway).
  if (map.size > 10_000) map.clear();
  return map;
}

/** Forgets every verified key (after a revocation, a role change or a removal). */
export function clearApiKeyCache(): void {
  verifiedKeyCache().clear();
}
