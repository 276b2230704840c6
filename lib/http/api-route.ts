// The /api/v1 management routes' common half: the caller (an API key acting with its owner's role,
// or a session) and its role checked first through the one authenticate(), JSON bodies read with a
// clear error, and every error in OpenAI's shape `{error: {message, type, param, code}}` with the
// field named the way the API spells it (each area passes its own camelCase -> snake_case mapping).
import "server-only";
import type { Db } from "@/db/client";
import { getAuthContext } from "@/lib/auth/auth";
import { authenticateWithRole } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { clientIp, type CurrentUser } from "@/lib/auth/session";
import { AppError, httpStatus, toAppError } from "@/lib/errors";

const TYPES: Record<string, string> = {
  UNAUTHENTICATED: "authentication_error",
  FORBIDDEN: "permission_error",
  NOT_FOUND: "not_found_error",
  CONFLICT: "invalid_request_error",
  VALIDATION: "invalid_request_error",
  RATE_LIMITED: "rate_limit_error",
};

export type ParamName = (path: string) => string;

/** "fooBar.bazQux" -> "foo_bar.baz_qux": the default spelling of a field path on /api/v1. */
export const snakeCasePath: ParamName = (path) => path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function apiErrorResponse(error: unknown, param: ParamName = snakeCasePath): Response {
  const e = toAppError(error);
  const first = e.fieldErrors ? Object.keys(e.fieldErrors)[0] : undefined;
  const message = first && e.fieldErrors ? `${param(first)}: ${e.fieldErrors[first][0]}` : e.message;
  return Response.json(
    { error: { message, type: TYPES[e.code] ?? "api_error", param: first ? param(first) : null, code: e.code.toLowerCase() } },
    { status: httpStatus(e.code) },
  );
}

export interface ApiRouteContext<P> {
  db: Db;
  user: CurrentUser;
  ipAddress: string | null;
  params: P;
}

export function defineApiRoute<P>(role: Role, handler: (request: Request, ctx: ApiRouteContext<P>) => Promise<Response>, options: { param?: ParamName } = {}) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const write = request.method !== "GET" && request.method !== "HEAD";
      const { user } = await authenticateWithRole(request.headers, role, { write });
      const { db } = await getAuthContext();
      return await handler(request, { db, user, ipAddress: clientIp(request.headers), params: await route.params });
    } catch (error) {
      return apiErrorResponse(error, options.param);
    }
  };
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("VALIDATION", "The body must be JSON.");
  }
}
