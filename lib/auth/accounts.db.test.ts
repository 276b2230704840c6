import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, user } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { addMember, changeRole, listMembers, removeMember } from "@/lib/members/members";
import { countUsers, createFirstAdmin, signInWithPassword, SIGN_IN_LIMITS } from "./accounts";
import { createAuth, type AuthContext } from "./auth";
import { appErrorOf } from "@/lib/testing/app-error";

let handle: TestDatabase;
let ctx: AuthContext;
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${n++}@example.test`;
const request = (ip: string) => ({ headers: new Headers({ "x-forwarded-for": ip }), ipAddress: ip });


beforeAll(async () => {
  handle = await openTestDatabase();
  ctx = { db: handle.db, auth: createAuth(handle.db, "test-secret-".padEnd(40, "x")) };
});
afterAll(async () => {
  await handle?.close();
});

describe(`accounts on ${process.env.KINDLING_TEST_DB}`, () => {
  let admin: { id: string; email: string; role: "admin" };

  it("creates the first admin once, and refuses a second setup", async () => {
    expect(await countUsers(ctx)).toBe(0);
    const email = unique("admin");
    const created = await createFirstAdmin(ctx, { name: "Ada", email, password: "correct horse" }, "10.0.0.1");
    expect(created.role).toBe("admin");
    admin = { id: created.id, email: created.email, role: "admin" };
    await appErrorOf(createFirstAdmin(ctx, { name: "Eve", email: unique("eve"), password: "correct horse" }, null), "CONFLICT");
    expect(await countUsers(ctx)).toBe(1);
    const [row] = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "auth.setup"));
    expect(row.actorEmail).toBe(email);
  });

  it("stores a password hash, never the password", async () => {
    const rows = await ctx.db.query.account.findMany();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.password).toBeTruthy();
      expect(r.password).not.toContain("correct horse");
    }
  });

  it("signs in with the right password and audits a wrong one", async () => {
    const ok = await signInWithPassword(ctx, { email: admin.email, password: "correct horse" }, request("10.0.0.2"));
    expect(ok.user.id).toBe(admin.id);
    await appErrorOf(signInWithPassword(ctx, { email: admin.email, password: "wrong" }, request("10.0.0.2")), "UNAUTHENTICATED");
    const failed = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "auth.sign_in_failed"));
    expect(failed.map((r) => [r.target, r.ipAddress])).toContainEqual([admin.email, "10.0.0.2"]);
  });

  it("rate-limits failed sign-ins per account, even with the right password afterwards", async () => {
    const email = unique("target");
    await addMember(ctx, admin, { name: "T", email, password: "right password", role: "member" }, null);
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      await appErrorOf(signInWithPassword(ctx, { email, password: "nope" }, request(`10.1.0.${i}`)), "UNAUTHENTICATED");
    }
    await appErrorOf(signInWithPassword(ctx, { email, password: "right password" }, request("10.1.1.1")), "RATE_LIMITED");
  });

  it("rate-limits failed sign-ins per address across accounts", async () => {
    const ip = "10.9.9.9";
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      await appErrorOf(signInWithPassword(ctx, { email: unique("nobody"), password: "x" }, request(ip)), "UNAUTHENTICATED");
    }
    await appErrorOf(signInWithPassword(ctx, { email: admin.email, password: "correct horse" }, request(ip)), "RATE_LIMITED");
    // Another address is not affected.
    const ok = await signInWithPassword(ctx, { email: admin.email, password: "correct horse" }, request("10.9.9.10"));
    expect(ok.user.id).toBe(admin.id);
  });

  it("counts parallel wrong passwords before checking them: exactly the limit get a password check", async () => {
    const email = unique("raced");
    await addMember(ctx, admin, { name: "R", email, password: "right password", role: "member" }, null);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => signInWithPassword(ctx, { email, password: `wrong ${i}` }, request(`10.3.0.${i}`))),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "OK"));
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(SIGN_IN_LIMITS.perAccount);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(12 - SIGN_IN_LIMITS.perAccount);
    await appErrorOf(signInWithPassword(ctx, { email, password: "right password" }, request("10.3.1.1")), "RATE_LIMITED");
  });

  it("counts parallel attempts per address the same way", async () => {
    const ip = "10.4.4.4";
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => signInWithPassword(ctx, { email: unique("spray"), password: "x" }, request(ip))),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "OK"));
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(SIGN_IN_LIMITS.perAddress);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(30 - SIGN_IN_LIMITS.perAddress);
  });

  it("a successful sign-in does not count against the limit", async () => {
    const ip = "10.5.5.5";
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount + 3; i++) {
      const ok = await signInWithPassword(ctx, { email: admin.email, password: "correct horse" }, request(ip));
      expect(ok.user.id).toBe(admin.id);
    }
  });

  it("writes one audit row per account and address for refused sign-ins, with a count", async () => {
    const email = unique("hammered");
    const ip = "10.6.6.6";
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      await appErrorOf(signInWithPassword(ctx, { email, password: "no" }, request(ip)), "UNAUTHENTICATED");
    }
    for (let i = 0; i < 8; i++) await appErrorOf(signInWithPassword(ctx, { email, password: "no" }, request(ip)), "RATE_LIMITED");
    await Promise.allSettled(Array.from({ length: 8 }, () => signInWithPassword(ctx, { email, password: "no" }, request(ip))));
    const refused = await ctx.db.select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_in_rate_limited"), eq(auditLog.target, email)));
    expect(refused).toHaveLength(1);
    expect(refused[0].ipAddress).toBe(ip);
    expect(refused[0].details).toMatchObject({ refused: 16 });
    // Another address gets its own row.
    await appErrorOf(signInWithPassword(ctx, { email, password: "no" }, request("10.6.6.7")), "RATE_LIMITED");
    const rows = await ctx.db.select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_in_rate_limited"), eq(auditLog.target, email)));
    expect(rows).toHaveLength(2);
  });

  it("adds members with a role, refuses a duplicate email, and changes roles", async () => {
    const email = unique("viewer");
    const viewer = await addMember(ctx, admin, { name: "Vi", email, password: "viewer pass", role: "viewer" }, null);
    expect(viewer.role).toBe("viewer");
    await appErrorOf(addMember(ctx, admin, { name: "Vi2", email, password: "viewer pass", role: "member" }, null), "CONFLICT");
    const changed = await changeRole(ctx, admin, { userId: viewer.id, role: "member" }, null);
    expect(changed.role).toBe("member");
    const [audit] = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "member.role_change"));
    expect(audit.details).toEqual({ from: "viewer", to: "member" });
  });

  it("never leaves the console without an admin", async () => {
    await appErrorOf(changeRole(ctx, admin, { userId: admin.id, role: "viewer" }, null), "CONFLICT");
    await appErrorOf(removeMember(ctx, admin, { userId: admin.id }, null), "CONFLICT");
    const [row] = await ctx.db.select().from(user).where(eq(user.id, admin.id));
    expect(row.role).toBe("admin");
  });

  it("removing a member deletes their sessions and keeps the audit trail", async () => {
    const email = unique("leaver");
    const m = await addMember(ctx, admin, { name: "L", email, password: "leaver pass", role: "member" }, null);
    await signInWithPassword(ctx, { email, password: "leaver pass" }, request("10.2.0.1"));
    expect(await ctx.db.query.session.findMany({ where: (s, { eq: e }) => e(s.userId, m.id) })).toHaveLength(1);
    await removeMember(ctx, admin, { userId: m.id }, null);
    expect(await ctx.db.query.session.findMany({ where: (s, { eq: e }) => e(s.userId, m.id) })).toHaveLength(0);
    expect((await listMembers(ctx)).map((x) => x.email)).not.toContain(email);
    const signIns = await ctx.db.select().from(auditLog).where(eq(auditLog.target, email));
    expect(signIns.map((r) => r.action)).toEqual(expect.arrayContaining(["member.add", "auth.sign_in", "member.remove"]));
    await appErrorOf(signInWithPassword(ctx, { email, password: "leaver pass" }, request("10.2.0.2")), "UNAUTHENTICATED");
  });
});

describe(`session checks on ${process.env.KINDLING_TEST_DB}`, () => {
  it("a role change or removal takes effect on the next check, despite the session cache", async () => {
    const { getCurrentUser } = await import("./current-user");
    const [admin] = await ctx.db.select().from(user).where(eq(user.role, "admin")).limit(1);
    const actor = { id: admin.id, email: admin.email, role: "admin" as const };
    const email = unique("cached");
    const m = await addMember(ctx, actor, { name: "C", email, password: "cached pass", role: "member" }, null);
    const signedIn = await ctx.auth.api.signInEmail({ body: { email, password: "cached pass" }, returnHeaders: true });
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const headers = new Headers({ cookie });

    expect((await getCurrentUser(headers, ctx))?.role).toBe("member");
    expect((await getCurrentUser(headers, ctx))?.role).toBe("member");
    await changeRole(ctx, actor, { userId: m.id, role: "viewer" }, null);
    expect((await getCurrentUser(headers, ctx))?.role).toBe("viewer");
    await removeMember(ctx, actor, { userId: m.id }, null);
    expect(await getCurrentUser(headers, ctx)).toBeNull();
    expect(await getCurrentUser(new Headers(), ctx)).toBeNull();
  });
});
