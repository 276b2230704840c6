// The one door for every write: user, then role, then zod parsing, then the handler, then a
// typed result. Server actions are built with defineAction; route handlers with defineRoute.
import "server-only";
import { headers as nextHeaders } from "next/headers";
import { z } from "zod";
import { getAuthContext, type AuthContext } from "@/lib/auth/auth";
import { authenticateWithRole } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { clientIp, requireRole, type CurrentUser } from "@/lib/auth/session";
import { errorResponse, toActionFailure, validationError, type ActionResult } from "@/lib/errors";

export interface ActionContext extends AuthContext {
  user: CurrentUser;
  headers: Headers;
  ipAddress: string | null;
}

export interface PublicActionContext extends AuthContext {
  user: null;
  headers: Headers;
  ipAddress: string | null;
}

export function defineAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
  options: { role: Role },
): (input: z.input<S>) => Promise<ActionResult<T>>;
export function defineAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, ctx: PublicActionContext) => Promise<T>,
  options: { role: "public" },
): (input: z.input<S>) => Promise<ActionResult<T>>;
export function defineAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, ctx: never) => Promise<T>,
  options: { role: Role | "public" },
) {
  return async (input: unknown): Promise<ActionResult<T>> => {
    try {
      const h = await nextHeaders();
      const ctx = await getAuthContext();
      const user = options.role === "public" ? null : await requireRole(options.role, h);
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const data = await (handler as (i: unknown, c: unknown) => Promise<T>)(parsed.data, {
        ...ctx,
        user,
        headers: h,
        ipAddress: clientIp(h),
      });
      return { ok: true, data };
    } catch (error) {
      return toActionFailure(error);
    }
  };
}

/**
 * Route handlers share the same checks: the principal (a session or an API key, lib/auth/principal),
 * the role, then the handler; errors become JSON with a status.
 */
export function defineRoute<P = unknown>(
  options: { role: Role },
  handler: (request: Request, ctx: ActionContext & { params: P }) => Promise<Response>,
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const { user } = await authenticateWithRole(request.headers, options.role);
      const ctx = await getAuthContext();
      return await handler(request, {
        ...ctx,
        user,
        headers: request.headers,
        ipAddress: clientIp(request.headers),
        params: await route.params,
      });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
