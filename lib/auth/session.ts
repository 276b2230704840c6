// The signed-in user of the current request, for pages, actions and route handlers.
import "server-only";
import { headers as nextHeaders } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import type { Actor } from "./accounts";
import { getAuthContext } from "./auth";
import { hasRole, type Role } from "./roles";

export interface CurrentUser extends Actor {
  name: string;
}

export async function getCurrentUser(requestHeaders?: Headers): Promise<CurrentUser | null> {
  const { auth } = await getAuthContext();
  const session = await auth.api.getSession({ headers: requestHeaders ?? (await nextHeaders()) });
  if (!session) return null;
  const u = session.user as typeof session.user & { role: Role };
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

/** Checks the user and role or throws UNAUTHENTICATED / FORBIDDEN. */
export async function requireRole(role: Role, requestHeaders?: Headers): Promise<CurrentUser> {
  const current = await getCurrentUser(requestHeaders);
  if (!current) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!hasRole(current.role, role)) {
    throw new AppError("FORBIDDEN", `This needs the ${role} role; you are signed in as ${current.role}.`);
  }
  return current;
}

/** For pages: sends a signed-out visitor to sign in, and a user without the role to a plain refusal. */
export async function requirePageRole(role: Role): Promise<CurrentUser> {
  const current = await getCurrentUser();
  if (!current) redirect("/login");
  if (!hasRole(current.role, role)) redirect(`/forbidden?need=${role}`);
  return current;
}

/**
 * The client's address. lib/start/server.ts appends the socket address to X-Forwarded-For, so the
 * last entry is always real; with KINDLING_TRUSTED_PROXIES=N, the entry N hops before it is used.
 */
export function clientIp(h: Headers): string | null {
  const chain = (h.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return null;
  const trusted = Math.max(0, Number(process.env.KINDLING_TRUSTED_PROXIES) || 0);
  return chain[Math.max(0, chain.length - 1 - trusted)];
}
