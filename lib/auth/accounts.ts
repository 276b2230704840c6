// Accounts: first-run setup, sign-in with rate limits, sign-out. Framework-free:
// the caller passes request headers, so route handlers, actions and tests share one path.
import { count, eq, sql } from "drizzle-orm";
import { APIError } from "better-auth/api";
import type { Tx } from "@/db/client";
import { auditLog, signInThrottle, user, type Role, type User } from "@/db/schema";
import { recordAudit } from "@/lib/audit/audit";
import { AppError } from "@/lib/errors";
import type { AuthContext } from "./auth";
import { clearSessionCache } from "./current-user";

/** Failed sign-ins allowed per account and per address within the window before refusing. */
export const SIGN_IN_LIMITS = { perAccount: 5, perAddress: 20, windowMinutes: 15 } as const;

export interface Actor {
  id: string;
  email: string;
  role: Role;
}

export async function countUsers({ db }: AuthContext): Promise<number> {
  const [row] = await db.select({ n: count() }).from(user);
  return row?.n ?? 0;
}

// Serialises first-run setup inside this process; the count check below refuses the loser.
let setupQueue: Promise<unknown> = Promise.resolve();

/** Creates the first admin. Refused once any user exists. */
export function createFirstAdmin(
  ctx: AuthContext,
  input: { name: string; email: string; password: string },
  ipAddress: string | null,
): Promise<User> {
  const run = setupQueue.then(async () => {
    if ((await countUsers(ctx)) > 0) {
      throw new AppError("CONFLICT", "Kindling already has an admin. Sign in instead.");
    }
    const created = await signUp(ctx, input);
    const admin = await setRole(ctx, created.id, "admin");
    await recordAudit(ctx.db, {
      actor: { id: admin.id, email: admin.email },
      action: "auth.setup",
      target: admin.email,
      ipAddress,
    });
    return admin;
  });
  setupQueue = run.catch(() => {});
  return run;
}

/** Creates a user with a password (role: better-auth's default); a duplicate email is a CONFLICT on the email field. */
export async function signUp(ctx: AuthContext, input: { name: string; email: string; password: string }): Promise<User> {
  const email = input.email.toLowerCase();
  const duplicate = () =>
    new AppError("CONFLICT", "A member with this email already exists.", {
      fieldErrors: { email: ["A member with this email already exists."] },
    });
  // better-auth answers a duplicate sign-up with a decoy user (against enumeration), so look first.
  const [existing] = await ctx.db.select({ id: user.id }).from(user).where(eq(user.email, email));
  if (existing) throw duplicate();
  try {
    const result = await ctx.auth.api.signUpEmail({ body: { name: input.name, email, password: input.password } });
    const [row] = await ctx.db.select().from(user).where(eq(user.id, result.user.id));
    if (!row) throw duplicate();
    return row;
  } catch (error) {
    if (error instanceof APIError) {
      const message = String(error.body?.message ?? error.message);
      if (/already exists/i.test(message)) throw duplicate();
      if (/password/i.test(message)) {
        throw new AppError("VALIDATION", message, { fieldErrors: { password: [message] } });
      }
      throw new AppError("VALIDATION", message, { cause: error });
    }
    throw error;
  }
}

async function setRole(ctx: AuthContext, userId: string, role: Role): Promise<User> {
  const [row] = await ctx.db.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, userId)).returning();
  return row;
}

/**
 * Signs in with email and password. The session cookie is set by better-auth's Next.js plugin
 * when called inside a request. Failed attempts are audited and rate-limited per account and address.
 */
export async function signInWithPassword(
  ctx: AuthContext,
  input: { email: string; password: string },
  request: { headers: Headers; ipAddress: string | null },
): Promise<{ user: User }> {
  const email = input.email.toLowerCase();
  const keys = [`account:${email}`, ...(request.ipAddress ? [`address:${request.ipAddress}`] : [])];
  // The attempt is counted before the password is checked, in one statement that locks the rows,
  // so parallel guesses each see the attempts before them; a successful sign-in gives it back. The
  // transaction keeps the account's row locked while a refusal is audited, so refusals aggregate.
  const refused = await ctx.db.transaction(async (tx) => {
    const counts = await countSignInAttempt(tx, keys);
    const forAccount = counts.get(keys[0]) ?? 0;
    const forAddress = keys[1] ? (counts.get(keys[1]) ?? 0) : 0;
    if (forAccount <= SIGN_IN_LIMITS.perAccount && forAddress <= SIGN_IN_LIMITS.perAddress) return false;
    await auditRefusedSignIn(tx, email, request.ipAddress, { forAccount, forAddress });
    return true;
  });
  if (refused) {
    throw new AppError(
      "RATE_LIMITED",
      `Too many failed sign-ins. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again, or ask an admin.`,
      { retryAfterSeconds: SIGN_IN_LIMITS.windowMinutes * 60 },
    );
  }
  try {
    const result = await ctx.auth.api.signInEmail({ body: { email, password: input.password }, headers: request.headers });
    await returnSignInAttempt(ctx.db, keys);
    const [row] = await ctx.db.select().from(user).where(eq(user.id, result.user.id));
    await recordAudit(ctx.db, { actor: { id: row.id, email: row.email }, action: "auth.sign_in", target: email, ipAddress: request.ipAddress });
    return { user: row };
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    await recordAudit(ctx.db, { action: "auth.sign_in_failed", target: email, ipAddress: request.ipAddress });
    throw new AppError("UNAUTHENTICATED", "Wrong email or password.");
  }
}

/** Counts one attempt against each key (a new window when the last began over the limit's ago). */
async function countSignInAttempt(db: Tx, keys: string[]): Promise<Map<string, number>> {
  const windowStart = sql`now() - make_interval(mins => ${SIGN_IN_LIMITS.windowMinutes})`;
  const rows = await db
    .insert(signInThrottle)
    .values(keys.map((key) => ({ key, windowStartedAt: sql`now()`, attempts: 1 })))
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        attempts: sql`CASE WHEN ${signInThrottle.windowStartedAt} < ${windowStart} THEN 1 ELSE ${signInThrottle.attempts} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${signInThrottle.windowStartedAt} < ${windowStart} THEN now() ELSE ${signInThrottle.windowStartedAt} END`,
      },
    })
    .returning({ key: signInThrottle.key, attempts: signInThrottle.attempts });
  return new Map(rows.map((r) => [r.key, r.attempts]));
}

/** A successful sign-in is not a failure: its counted attempt is given back. */
async function returnSignInAttempt(db: Tx, keys: string[]): Promise<void> {
  for (const key of keys) {
    await db
      .update(signInThrottle)
      .set({ attempts: sql`greatest(${signInThrottle.attempts} - 1, 0)` })
      .where(eq(signInThrottle.key, key));
  }
}

/**
 * One audit row per account and address per window for refused sign-ins, with a count, instead of a
 * row per refusal (which an attacker could write without limit). Done in one statement.
 */
async function auditRefusedSignIn(
  db: Tx,
  email: string,
  ipAddress: string | null,
  counts: { forAccount: number; forAddress: number },
): Promise<void> {
  const since = sql`now() - make_interval(mins => ${SIGN_IN_LIMITS.windowMinutes})`;
  const details = { refused: 1, attemptsForAccount: counts.forAccount, attemptsFromAddress: counts.forAddress };
  await db.execute(sql`
    WITH latest AS (
      SELECT ${auditLog.id} AS id FROM ${auditLog}
      WHERE ${auditLog.action} = 'auth.sign_in_rate_limited' AND ${auditLog.target} = ${email}
        AND ${auditLog.ipAddress} IS NOT DISTINCT FROM ${ipAddress} AND ${auditLog.at} >= ${since}
      ORDER BY ${auditLog.id} DESC LIMIT 1
      FOR UPDATE
    ), bumped AS (
      UPDATE ${auditLog} SET
        at = now(),
        details = ${auditLog.details} || jsonb_build_object(
          'refused', coalesce((${auditLog.details} ->> 'refused')::int, 1) + 1,
          'attemptsForAccount', ${counts.forAccount}::int,
          'attemptsFromAddress', ${counts.forAddress}::int)
      WHERE ${auditLog.id} = (SELECT id FROM latest)
      RETURNING ${auditLog.id}
    )
    INSERT INTO ${auditLog} (action, target, ip_address, details)
    SELECT 'auth.sign_in_rate_limited', ${email}, ${ipAddress}, ${JSON.stringify(details)}::jsonb
    WHERE NOT EXISTS (SELECT 1 FROM bumped)
  `);
}

export async function signOut(ctx: AuthContext, actor: Actor, request: { headers: Headers; ipAddress: string | null }) {
  await ctx.auth.api.signOut({ headers: request.headers });
  clearSessionCache();
  await recordAudit(ctx.db, { actor, action: "auth.sign_out", target: actor.email, ipAddress: request.ipAddress });
}
