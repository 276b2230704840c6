// Verified API keys by secret hash, for a few seconds: the gateway checks the key on every request,
// and a database round trip there would be most of what it adds to time to first token. Revoking a
// key and changing or removing a member clear it in this process; other instances sharing a
// PostgreSQL server see such a change within API_KEY_CACHE_MS. Dependency-free, so lib/auth can clear it.
import type { VerifiedApiKey } from "./api-keys";

export const API_KEY_CACHE_MS = 5_000;

interface Entry {
  key: VerifiedApiKey | null;
  until: number;
  lastUsedWritten: number;
}

const holder = globalThis as unknown as { __kindlingApiKeys?: Map<string, Entry> };

export function verifiedKeyCache(): Map<string, Entry> {
  holder.__kindlingApiKeys ??= new Map();
  if (holder.__kindlingApiKeys.size > 10_000) holder.__kindlingApiKeys.clear();
  return holder.__kindlingApiKeys;
}

/** Forgets every verified key (after a revocation, a role change or a removal). */
export function clearApiKeyCache(): void {
  verifiedKeyCache().clear();
}
