// API keys: create (the secret is returned once), list (own keys; an admin sees everyone's), revoke,
// and verify a bearer token. A key acts with its owner's current role; it dies when the owner is
// removed (rows cascade) or demoted to viewer (revoked in the same transaction, lib/auth/accounts).
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { apiKeys, user, type ApiKey, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/accounts";
import { hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { verifiedKeyCache, API_KEY_CACHE_MS } from "./cache";
import type { ApiKeyDto } from "./query-options";
import { createApiKeySchema, type CreateApiKeyInput } from "./schemas";
import { generateKeySecret, hashKeySecret, keyPrefixOf, looksLikeKeySecret } from "./secret";

export { API_KEY_CACHE_MS } from "./cache";
export type { ApiKeyDto } from "./query-options";

/** A key that passed verification, with its owner as they are now. */
export interface VerifiedApiKey {
  id: string;
  name: string;
  prefix: string;
  allowedModels: string[] | null;
  rpmLimit: number | null;
  monthlyBudgetUsd: number | null;
  expiresAt: Date | null;
  owner: { id: string; email: string; name: string; role: Role };
}

function toDto(key: ApiKey, owner: { id: string; email: string; name: string }): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    owner,
    allowedModels: key.allowedModels,
    rpmLimit: key.rpmLimit,
    monthlyBudgetUsd: key.monthlyBudgetUsd,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

/**
 * Creates a key for `owner` (always the acting member themself, or the first admin at start).
 * Returns the secret, which is never readable again.
 */
export async function createApiKey(
  db: Db,
  owner: Actor & { name?: string },
  input: CreateApiKeyInput,
  ipAddress: string | null,
  options: { secret?: string } = {},
): Promise<{ key: ApiKeyDto; secret: string }> {
  if (!hasRole(owner.role, "member")) throw new AppError("FORBIDDEN", "Viewers cannot create API keys.");
  const parsed = createApiKeySchema.parse(input);
  const generated = options.secret
    ? { secret: options.secret, prefix: keyPrefixOf(options.secret), hash: hashKeySecret(options.secret) }
    : generateKeySecret();
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiKeys)
      .values({
        id: crypto.randomUUID(),
        userId: owner.id,
        name: parsed.name,
        prefix: generated.prefix,
        secretHash: generated.hash,
        allowedModels: parsed.allowedModels,
        rpmLimit: parsed.rpmLimit,
        monthlyBudgetUsd: parsed.monthlyBudgetUsd,
        expiresAt: parsed.expiresAt,
      })
      .returning();
    await recordAudit(tx, {
      actor: owner,
      action: "api_key.create",
      target: `${created.name} (${created.prefix}…)`,
      ipAddress,
      details: {
        keyId: created.id,
        allowedModels: created.allowedModels,
        rpmLimit: created.rpmLimit,
        monthlyBudgetUsd: created.monthlyBudgetUsd,
        expiresAt: created.expiresAt?.toISOString() ?? null,
      },
    });
    return created;
  });
  const [o] = await db.select({ id: user.id, email: user.email, name: user.name }).from(user).where(eq(user.id, owner.id));
  return { key: toDto(row, o ?? { id: owner.id, email: owner.email, name: owner.name ?? owner.email }), secret: generated.secret };
}

/** A member's own keys; every key for an admin. Newest first, revoked ones included. */
export async function listApiKeys(db: Tx, actor: Actor): Promise<ApiKeyDto[]> {
  const rows = await db
    .select({ key: apiKeys, owner: { id: user.id, email: user.email, name: user.name } })
    .from(apiKeys)
    .innerJoin(user, eq(apiKeys.userId, user.id))
    .where(actor.role === "admin" ? undefined : eq(apiKeys.userId, actor.id))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map((r) => toDto(r.key, r.owner));
}

/** Revokes a key: its owner may revoke their own, an admin anyone's. */
export async function revokeApiKey(db: Db, actor: Actor, input: { id: string }, ipAddress: string | null): Promise<ApiKeyDto> {
  const result = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ key: apiKeys, owner: { id: user.id, email: user.email, name: user.name } })
      .from(apiKeys)
      .innerJoin(user, eq(apiKeys.userId, user.id))
      // Scoped in the WHERE clause: a member cannot even learn that someone else's key exists.
      .where(and(eq(apiKeys.id, input.id), actor.role === "admin" ? undefined : eq(apiKeys.userId, actor.id)))
      .for("update");
    if (!row) throw new AppError("NOT_FOUND", "That API key does not exist.");
    if (row.key.revokedAt) return toDto(row.key, row.owner);
    const [updated] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(), revokedBy: actor.id })
      .where(eq(apiKeys.id, row.key.id))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "api_key.revoke",
      target: `${updated.name} (${updated.prefix}…)`,
      ipAddress,
      details: { keyId: updated.id, owner: row.owner.email },
    });
    return toDto(updated, row.owner);
  });
  verifiedKeyCache().clear();
  return result;
}

/** Revokes every live key of `userId` inside the caller's transaction (used when a member becomes a viewer). */
export async function revokeKeysOfUser(tx: Tx, userId: string, revokedBy: string): Promise<number> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date(), revokedBy })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length;
}

const LAST_USED_EVERY_MS = 60_000;

const INVALID = "Incorrect API key provided. Create a key on Settings -> API keys and send it as `Authorization: Bearer kdl_...`.";

/**
 * The key behind a bearer token, or UNAUTHENTICATED. Looked up at most every API_KEY_CACHE_MS per key
 * (revocations and member changes in this process clear the cache at once); expiry is checked on
 * every request. "Last used" is written at most once a minute per key, without waiting for it.
 */
export async function verifyApiKey(db: Db, token: string): Promise<VerifiedApiKey> {
  if (!looksLikeKeySecret(token)) throw new AppError("UNAUTHENTICATED", INVALID);
  const hash = hashKeySecret(token);
  const cache = verifiedKeyCache();
  const now = Date.now();
  let entry = cache.get(hash);
  if (!entry || entry.until <= now) {
    const [row] = await db
      .select({ key: apiKeys, owner: { id: user.id, email: user.email, name: user.name, role: user.role } })
      .from(apiKeys)
      .innerJoin(user, eq(apiKeys.userId, user.id))
      .where(eq(apiKeys.secretHash, hash));
    entry = {
      until: now + API_KEY_CACHE_MS,
      key: row && !row.key.revokedAt
        ? {
            id: row.key.id,
            name: row.key.name,
            prefix: row.key.prefix,
            allowedModels: row.key.allowedModels,
            rpmLimit: row.key.rpmLimit,
            monthlyBudgetUsd: row.key.monthlyBudgetUsd,
            expiresAt: row.key.expiresAt,
            owner: row.owner,
          }
        : null,
      lastUsedWritten: entry?.lastUsedWritten ?? 0,
    };
    cache.set(hash, entry);
  }
  const key = entry.key;
  if (!key) throw new AppError("UNAUTHENTICATED", INVALID);
  if (key.expiresAt && key.expiresAt.getTime() <= now) throw new AppError("UNAUTHENTICATED", "This API key has expired.");
  if (!hasRole(key.owner.role, "member")) throw new AppError("UNAUTHENTICATED", "This API key's owner can no longer use the API.");
  if (now - entry.lastUsedWritten > LAST_USED_EVERY_MS) {
    entry.lastUsedWritten = now;
    db.update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, key.id))
      .catch((error: unknown) => console.error("[kindling] recording an API key's last use failed", error));
  }
  return key;
}

/** Whether the key may call `model` (a /v1 model id); true when it has no list. */
export function keyAllowsModel(key: Pick<VerifiedApiKey, "allowedModels">, model: string): boolean {
  return !key.allowedModels || key.allowedModels.includes(model);
}

/**
 * KINDLING_INIT_API_KEY: creates that key for the first admin when no key with its hash exists (for
 * unattended installs). Safe when several instances start at once: the hash is unique.
 */
export async function ensureInitApiKey(db: Db, secret: string): Promise<"created" | "exists" | "no-admin"> {
  if (!looksLikeKeySecret(secret)) {
    throw new AppError("VALIDATION", "KINDLING_INIT_API_KEY must start with kdl_ and hold at least 43 more characters (e.g. kdl_ + 32 random bytes in base64url).");
  }
  const hash = hashKeySecret(secret);
  const [existing] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.secretHash, hash));
  if (existing) return "exists";
  const [admin] = await db.select().from(user).where(eq(user.role, "admin")).orderBy(user.createdAt).limit(1);
  if (!admin) return "no-admin";
  try {
    await createApiKey(db, { id: admin.id, email: admin.email, role: admin.role, name: admin.name }, { name: "KINDLING_INIT_API_KEY" }, null, { secret });
  } catch (error) {
    // Another instance created it at the same moment.
    const [again] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.secretHash, hash));
    if (again) return "exists";
    throw error;
  }
  return "created";
}
