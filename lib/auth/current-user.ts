// The signed-in user behind a request's headers, and the client's address. Framework-free, so
// Next's pages and actions and the console's own HTTP handlers (lib/start/server.ts) share it.
import "server-only";
import { trustedProxies } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { TtlCache } from "@/lib/ttl-cache";
import type { Actor } from "./accounts";
import { getAuthContext, type AuthContext } from "./auth";
import { hasRole, type Role } from "./roles";

export interface CurrentUser extends Actor {
  name: string;
}

// Sessions looked up in the last few seconds, by cookie. The playground's stream checks the user on
// every call, and a database round trip there is most of what the console adds to time to first
// token. Sign-out, role changes and removals clear it in this process; other instances sharing a
// PostgreSQL server see such a change within SESSION_CACHE_MS.
export const SESSION_CACHE_MS = 5_000;

function sessionCache(): TtlCache<string, CurrentUser> {
  return processSingleton("kindling.sessions", () => new TtlCache<string, CurrentUser>(SESSION_CACHE_MS, 5_000));
}

/** Forgets every cached session lookup (after sign-out, role changes and removals). */
export function clearSessionCache(): void {
  sessionCache().clear();
}

export async function getCurrentUser(requestHeaders: Headers, context?: AuthContext): Promise<CurrentUser | null> {
  const cookie = requestHeaders.get("cookie");
  if (!cookie) return null;
  const hit = sessionCache().get(cookie);
  if (hit) return hit;
  const { auth } = context ?? (await getAuthContext());
  const session = await auth.api.getSession({ headers: requestHeaders });
  const u = session?.user as (NonNullable<typeof session>["user"] & { role: Role }) | undefined;
  const user = u ? { id: u.id, email: u.email, name: u.name, role: u.role } : null;
  // Only signed-in lookups are kept: a cookie that is not a session yet may become one.
  if (user) sessionCache().set(cookie, user);
  return user;
}

/** Checks the user and role or throws UNAUTHENTICATED / FORBIDDEN. */
export async function requireRole(role: Role, requestHeaders: Headers): Promise<CurrentUser> {
  const current = await getCurrentUser(requestHeaders);
  if (!current) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!hasRole(current.role, role)) {
    throw new AppError("FORBIDDEN", `This needs the ${role} role; you are signed in as ${current.role}.`);
  }
  return current;
}

/**
 * The client's address. lib/start/server.ts appends the socket address to X-Forwarded-For, so the
 * last entry is always real; with KINDLING_TRUSTED_PROXIES=N, the entry N hops before it is used.
 */
export function clientIp(h: Headers): string | null {
  const chain = (h.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return null;
  const trusted = trustedProxies();
  return chain[Math.max(0, chain.length - 1 - trusted)];
}
