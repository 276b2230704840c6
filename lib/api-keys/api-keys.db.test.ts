import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, auditLog, usageEvents } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { createFirstAdmin, type Actor } from "@/lib/auth/accounts";
import { addMember, changeRole, removeMember } from "@/lib/members/members";
import { createAuth, type AuthContext } from "@/lib/auth/auth";
import { appErrorOf } from "@/lib/testing/app-error";
import { createApiKey, ensureInitApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "./api-keys";
import { clearApiKeyCache } from "./cache";
import { checkBudget, clearSpendCache, takeRateLimit } from "./limits";
import { generateKeySecret, hashKeySecret } from "./secret";

let handle: TestDatabase;
let ctx: AuthContext;
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${n++}@example.test`;
let admin: Actor;

async function member(role: "member" | "viewer" | "admin" = "member"): Promise<Actor> {
  const m = await addMember(ctx, admin, { name: "M", email: unique("m"), password: "correct horse", role }, null);
  return { id: m.id, email: m.email, role: m.role };
}

beforeAll(async () => {
  handle = await openTestDatabase();
  ctx = { db: handle.db, auth: createAuth(handle.db, "test-secret-".padEnd(40, "x")) };
  const a = await createFirstAdmin(ctx, { name: "Ada", email: unique("admin"), password: "correct horse" }, null);
  admin = { id: a.id, email: a.email, role: "admin" };
  // Migrations on embedded PGlite plus a password hash: slow on a busy machine.
}, 180_000);
afterAll(async () => {
  await handle?.close();
});

describe(`API keys on ${process.env.KINDLING_TEST_DB}`, () => {
  it("makes a kdl_ secret with 32 random bytes, stores only its hash and prefix, and audits without the secret", async () => {
    const owner = await member();
    const { key, secret } = await createApiKey(ctx.db, owner, { name: "ci", rpmLimit: 10 }, "10.0.0.9");
    expect(secret).toMatch(/^kdl_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(4), "base64url")).toHaveLength(32);
    expect(key.prefix).toBe(secret.slice(0, 12));
    expect(JSON.stringify(key)).not.toContain(secret.slice(12));
    const [row] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.secretHash).toBe(hashKeySecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "api_key.create"));
    expect(audits.some((a) => a.actorId === owner.id)).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(secret.slice(12));
    const verified = await verifyApiKey(ctx.db, secret);
    expect(verified.owner).toMatchObject({ id: owner.id, role: "member" });
  });

  it("refuses an unknown, a malformed and an expired key", async () => {
    await appErrorOf(verifyApiKey(ctx.db, generateKeySecret().secret), "UNAUTHENTICATED");
    await appErrorOf(verifyApiKey(ctx.db, "sk-not-ours"), "UNAUTHENTICATED");
    const owner = await member();
    const { key, secret } = await createApiKey(ctx.db, owner, { name: "short", expiresAt: new Date(Date.now() + 60_000).toISOString() }, null);
    await verifyApiKey(ctx.db, secret);
    // Expire it in the database; the check is made on every request, cached or not.
    await ctx.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, key.id));
    clearApiKeyCache();
    const e = await appErrorOf(verifyApiKey(ctx.db, secret), "UNAUTHENTICATED");
    expect(e.message).toMatch(/expired/);
  });

  it("lets a member list and revoke only their own keys, and an admin everyone's", async () => {
    const ann = await member();
    const bob = await member();
    const annKey = await createApiKey(ctx.db, ann, { name: "ann" }, null);
    const bobKey = await createApiKey(ctx.db, bob, { name: "bob" }, null);
    expect((await listApiKeys(ctx.db, ann)).map((k) => k.id)).toEqual([annKey.key.id]);
    expect((await listApiKeys(ctx.db, admin)).map((k) => k.id)).toEqual(expect.arrayContaining([annKey.key.id, bobKey.key.id]));
    await appErrorOf(revokeApiKey(ctx.db, ann, { id: bobKey.key.id }, null), "NOT_FOUND");
    await verifyApiKey(ctx.db, bobKey.secret);
    const revoked = await revokeApiKey(ctx.db, admin, { id: bobKey.key.id }, null);
    expect(revoked.revokedAt).not.toBeNull();
    await appErrorOf(verifyApiKey(ctx.db, bobKey.secret), "UNAUTHENTICATED");
    await verifyApiKey(ctx.db, annKey.secret);
  });

  it("kills a key when its owner is demoted to viewer or removed, and refuses a viewer's new key", async () => {
    const demoted = await member();
    const removed = await member();
    const k1 = await createApiKey(ctx.db, demoted, { name: "d" }, null);
    const k2 = await createApiKey(ctx.db, removed, { name: "r" }, null);
    await verifyApiKey(ctx.db, k1.secret);
    await verifyApiKey(ctx.db, k2.secret);
    await changeRole(ctx, admin, { userId: demoted.id, role: "viewer" }, null);
    await appErrorOf(verifyApiKey(ctx.db, k1.secret), "UNAUTHENTICATED");
    // Promoted again, the key stays dead: it was revoked with the demotion.
    await changeRole(ctx, admin, { userId: demoted.id, role: "member" }, null);
    await appErrorOf(verifyApiKey(ctx.db, k1.secret), "UNAUTHENTICATED");
    await removeMember(ctx, admin, { userId: removed.id }, null);
    await appErrorOf(verifyApiKey(ctx.db, k2.secret), "UNAUTHENTICATED");
    const viewer = await member("viewer");
    await appErrorOf(createApiKey(ctx.db, viewer, { name: "v" }, null), "FORBIDDEN");
  });

  it("creates the KINDLING_INIT_API_KEY once for the first admin", async () => {
    const { secret } = generateKeySecret();
    expect(await ensureInitApiKey(ctx.db, secret)).toBe("created");
    expect(await ensureInitApiKey(ctx.db, secret)).toBe("exists");
    expect((await verifyApiKey(ctx.db, secret)).owner.id).toBe(admin.id);
    await appErrorOf(ensureInitApiKey(ctx.db, "kdl_short"), "VALIDATION");
  });

  it("refuses the request after the rate limit with a Retry-After, and after the budget from the usage rows' costs", async () => {
    takeRateLimit("k-rate", 2, 1_000_000);
    takeRateLimit("k-rate", 2, 1_000_001);
    const e = await appErrorOf(Promise.resolve().then(() => takeRateLimit("k-rate", 2, 1_000_002)), "RATE_LIMITED");
    expect(e.retryAfterSeconds).toBe(30);
    takeRateLimit("k-rate", 2, 1_000_002 + 30_000);

    const owner = await member();
    const { key } = await createApiKey(ctx.db, owner, { name: "budget", monthlyBudgetUsd: 0.01 }, null);
    const now = new Date();
    await checkBudget(ctx.db, key.id, 0.01, now);
    await ctx.db.insert(usageEvents).values({
      requestId: crypto.randomUUID(),
      at: now,
      userId: owner.id,
      source: "api",
      apiKeyId: key.id,
      providerName: "p",
      modelName: "m",
      costUsd: "0.0100000000",
      status: "ok",
    });
    // A fresh process (no cached spend) sees the row.
    clearSpendCache();
    const b = await appErrorOf(checkBudget(ctx.db, key.id, 0.01, now), "RATE_LIMITED");
    expect(b.retryAfterSeconds).toBeGreaterThan(0);
  });
});
