// The signed-in user of the current Next.js request, for pages, actions and route handlers.
import "server-only";
import { headers as nextHeaders } from "next/headers";
import { redirect } from "next/navigation";
import * as currentUser from "./current-user";
import { hasRole, type Role } from "./roles";

export type { CurrentUser } from "./current-user";
export { clientIp } from "./current-user";

export async function getCurrentUser(requestHeaders?: Headers): Promise<currentUser.CurrentUser | null> {
  return currentUser.getCurrentUser(requestHeaders ?? (await nextHeaders()));
}

/** Checks the user and role or throws UNAUTHENTICATED / FORBIDDEN. */
export async function requireRole(role: Role, requestHeaders?: Headers): Promise<currentUser.CurrentUser> {
  return currentUser.requireRole(role, requestHeaders ?? (await nextHeaders()));
}

/** For pages: sends a signed-out visitor to sign in, and a user without the role to a plain refusal. */
export async function requirePageRole(role: Role): Promise<currentUser.CurrentUser> {
  const current = await getCurrentUser();
  if (!current) redirect("/login");
  if (!hasRole(current.role, role)) redirect(`/forbidden?need=${role}`);
  return current;
}
