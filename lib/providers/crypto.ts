// Provider API keys at rest: AES-256-GCM under a key derived from KINDLING_SECRET (HKDF, own purpose
// label). Each row records the key's version (a fingerprint), so KINDLING_SECRET can be rotated:
// old secrets listed in KINDLING_SECRET_PREVIOUS still decrypt, and reencryptProviderKeys upgrades rows.
import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { and, eq, isNotNull, ne, or, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { providers } from "@/db/schema";
import { previousSecrets, secret } from "@/lib/env";

const PURPOSE = "kindling/provider-api-keys/v1";
const SALT = "kindling-provider-keys";

export interface DerivedKey {
  version: number;
  key: Buffer;
}

export interface Keyring {
  current: DerivedKey;
  byVersion: Map<number, DerivedKey>;
}

export function deriveKey(secretValue: string): DerivedKey {
  const key = Buffer.from(hkdfSync("sha256", secretValue, SALT, PURPOSE, 32));
  // 31 bits fit a Postgres integer without a sign; collisions between a team's few secrets are negligible.
  const version = createHash("sha256").update(key).digest().readUInt32BE(0) >>> 1;
  return { version, key };
}

export function createKeyring(currentSecret: string, previousSecrets: readonly string[] = []): Keyring {
  const current = deriveKey(currentSecret);
  const byVersion = new Map<number, DerivedKey>([[current.version, current]]);
  for (const s of previousSecrets) {
    const k = deriveKey(s);
    if (!byVersion.has(k.version)) byVersion.set(k.version, k);
  }
  return { current, byVersion };
}

/** The keyring of this process: KINDLING_SECRET (or the generated one) plus KINDLING_SECRET_PREVIOUS. */
export function processKeyring(): Keyring {
  return createKeyring(secret(), previousSecrets());
}

export interface SealedKey {
  ciphertext: string;
  version: number;
}

/**
 * Encrypts an API key. `context` (the provider id) is bound as associated data, so a ciphertext
 * copied onto another provider row does not decrypt there.
 */
export function sealApiKey(plaintext: string, context: string, keyring: Keyring = processKeyring()): SealedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { ciphertext: [iv, tag, data].map((b) => b.toString("base64url")).join("."), version: keyring.current.version };
}

export class KeyDecryptError extends Error {}

/** Decrypts with the key of `version`; throws KeyDecryptError (never including the key) when it cannot. */
export function openApiKey(sealed: SealedKey, context: string, keyring: Keyring = processKeyring()): string {
  const k = keyring.byVersion.get(sealed.version);
  if (!k) {
    throw new KeyDecryptError(
      `the stored API key was encrypted with a secret this server does not have (key version ${sealed.version}); add that secret to KINDLING_SECRET_PREVIOUS or enter the key again`,
    );
  }
  const parts = sealed.ciphertext.split(".");
  if (parts.length !== 3) throw new KeyDecryptError("the stored API key is malformed; enter the key again");
  const [iv, tag, data] = parts.map((p) => Buffer.from(p, "base64url"));
  try {
    const decipher = createDecipheriv("aes-256-gcm", k.key, iv);
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    throw new KeyDecryptError("the stored API key failed its integrity check (tampered with, or the wrong secret); enter the key again");
  }
}

/** The last four characters, the only part of a key the browser ever sees. */
export function apiKeyHint(plaintext: string): string {
  return plaintext.length <= 8 ? "…" : `…${plaintext.slice(-4)}`;
}

/**
 * Re-encrypts every stored key whose version is not the current one (run at start, after a rotation).
 * Rows that no known secret opens are left alone and counted, never logged with their content.
 */
export async function reencryptProviderKeys(db: Tx, keyring: Keyring = processKeyring()): Promise<{ reencrypted: number; unreadable: string[] }> {
  const rows = await db
    .select({ id: providers.id, name: providers.name, ciphertext: providers.apiKeyCiphertext, version: providers.apiKeyVersion })
    .from(providers)
    .where(
      and(
        isNotNull(providers.apiKeyCiphertext),
        or(isNull(providers.apiKeyVersion), ne(providers.apiKeyVersion, keyring.current.version)),
      ),
    );
  let reencrypted = 0;
  const unreadable: string[] = [];
  for (const row of rows) {
    try {
      const plaintext = openApiKey({ ciphertext: row.ciphertext!, version: row.version ?? -1 }, row.id, keyring);
      const sealed = sealApiKey(plaintext, row.id, keyring);
      await db
        .update(providers)
        .set({ apiKeyCiphertext: sealed.ciphertext, apiKeyVersion: sealed.version })
        .where(and(eq(providers.id, row.id), eq(providers.apiKeyCiphertext, row.ciphertext!)));
      reencrypted++;
    } catch (error) {
      if (!(error instanceof KeyDecryptError)) throw error;
      unreadable.push(row.name);
    }
  }
  return { reencrypted, unreadable };
}
