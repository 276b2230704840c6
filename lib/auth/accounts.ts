// Accounts: first-run setup, sign-in with rate limits, sign-out. Framework-free:
// the caller passes request headers, so route handlers, actions and tests share one path.
import { count, eq } from "drizzle-orm";
import { APIError } from "better-auth/api";
import { user, type Role, type User } from "@/db/schema";
import { countRecent, recordAudit } from "@/lib/audit/audit";
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
  const since = new Date(Date.now() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const [byAccount, byAddress] = await Promise.all([
    countRecent(ctx.db, { action: "auth.sign_in_failed", target: email, since }),
    request.ipAddress
      ? countRecent(ctx.db, { action: "auth.sign_in_failed", ipAddress: request.ipAddress, since })
      : Promise.resolve(0),
  ]);
  if (byAccount >= SIGN_IN_LIMITS.perAccount || byAddress >= SIGN_IN_LIMITS.perAddress) {
    await recordAudit(ctx.db, {
      action: "auth.sign_in_rate_limited",
      target: email,
      ipAddress: request.ipAddress,
      details: { failuresForAccount: byAccount, failuresFromAddress: byAddress },
    });
    throw new AppError(
      "RATE_LIMITED",
      `Too many failed sign-ins. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again, or ask an admin.`,
      { retryAfterSeconds: SIGN_IN_LIMITS.windowMinutes * 60 },
    );
  }
  try {
    const result = await ctx.auth.api.signInEmail({ body: { email, password: input.password }, headers: request.headers });
    const [row] = await ctx.db.select().from(user).where(eq(user.id, result.user.id));
    await recordAudit(ctx.db, { actor: { id: row.id, email: row.email }, action: "auth.sign_in", target: email, ipAddress: request.ipAddress });
    return { user: row };
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    await recordAudit(ctx.db, { action: "auth.sign_in_failed", target: email, ipAddress: request.ipAddress });
    throw new AppError("UNAUTHENTICATED", "Wrong email or password.");
  }
}

export async function signOut(ctx: AuthContext, actor: Actor, request: { headers: Headers; ipAddress: string | null }) {
  await ctx.auth.api.signOut({ headers: request.headers });
  clearSessionCache();
  await recordAudit(ctx.db, { actor, action: "auth.sign_out", target: actor.email, ipAddress: request.ipAddress });
}
