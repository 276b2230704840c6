// The one authentication: a request's headers -> who is calling. An `Authorization: Bearer kdl_...`
// header is an API key acting with its owner's current role; otherwise the session cookie is the
// signed-in user. The playground stream, the gateway and every route handler start here, and role
// checks are made on the principal with requirePrincipalRole.
import { getDb } from "@/db/client";
import { verifyApiKey, type VerifiedApiKey } from "@/lib/api-keys/api-keys";
import { publicUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { assertSameOriginWrite } from "@/lib/http/same-origin";
import { getCurrentUser, type CurrentUser } from "./current-user";
import { hasRole, type Role } from "./roles";

export type Principal =
  | { kind: "session"; user: CurrentUser; apiKey: null }
  | { kind: "api_key"; user: CurrentUser; apiKey: VerifiedApiKey };

/** The bearer token of an Authorization header, or null. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (!value) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : "";
}

/**
 * The caller, or UNAUTHENTICATED (no credentials, an unknown, revoked or expired key). With
 * `write`, a session-cookie caller must also come from the console's own pages (lib/http/same-origin).
 */
export async function authenticate(headers: Headers, options: { write?: boolean } = {}): Promise<Principal> {
  const token = bearerToken(headers);
  if (token !== null) {
    const key = await verifyApiKey(await getDb(), token);
    const { id, email, name, role } = key.owner;
    return { kind: "api_key", user: { id, email, name, role }, apiKey: key };
  }
  // The session cookie rides along on requests from any site: a write must come from our pages.
  if (options.write) assertSameOriginWrite(headers, publicUrl());
  const user = await getCurrentUser(headers);
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return { kind: "session", user, apiKey: null };
}

/** FORBIDDEN unless the principal's role is at least `role`. */
export function requirePrincipalRole(principal: Principal, role: Role): Principal {
  if (!hasRole(principal.user.role, role)) {
    const who = principal.kind === "api_key" ? "This API key's owner is" : "You are signed in as";
    throw new AppError("FORBIDDEN", `This needs the ${role} role; ${who} ${principal.user.role}.`);
  }
  return principal;
}

/** authenticate, then requirePrincipalRole. */
export async function authenticateWithRole(headers: Headers, role: Role, options: { write?: boolean } = {}): Promise<Principal> {
  return requirePrincipalRole(await authenticate(headers, options), role);
}
