// The one door for every write: user, then role, then zod parsing, then the handler, then the
// pages it changed are revalidated, then a typed result. Server actions are built with defineAction; route handlers with defineRoute.
import "server-only";
import { revalidatePath } from "next/cache";
import { headers as nextHeaders } from "next/headers";
import { z } from "zod";
import { getAuthContext, type AuthContext } from "@/lib/auth/auth";
import { authenticateWithRole } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { clientIp, requireRole, type CurrentUser } from "@/lib/auth/session";
import { errorResponse, toActionFailure, validationError, type ActionResult } from "@/lib/errors";
import { assertNoNulBytes } from "@/lib/nul-bytes";

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

/** `revalidate`: the console paths whose server-rendered pages a successful write changes. */
export interface ActionOptions<R extends Role | "public" = Role> {
  role: R;
  revalidate?: readonly string[];
}

export function defineAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
  options: ActionOptions,
): (input: z.input<S>) => Promise<ActionResult<T>>;
export function defineAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, ctx: PublicActionContext) => Promise<T>,
  options: ActionOptions<"public">,
): (input: z.input<S>) => Promise<ActionResult<T>>;
export function defineAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, ctx: never) => Promise<T>,
  options: ActionOptions<Role | "public">,
) {
  return async (input: unknown): Promise<ActionResult<T>> => {
    try {
      const h = await nextHeaders();
      const ctx = await getAuthContext();
      const user = options.role === "public" ? null : await requireRole(options.role, h);
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      assertNoNulBytes(parsed.data);
      const data = await (handler as (i: unknown, c: unknown) => Promise<T>)(parsed.data, {
        ...ctx,
        user,
        headers: h,
        ipAddress: clientIp(h),
      });
      for (const path of options.revalidate ?? []) revalidatePath(path);
      return { ok: true, data };
    } catch (error) {
      return toActionFailure(error);
    }
  };
}

/**
 * The handler of most console writes: a lib function given the context, the acting user, the input and
 * the user's address (lib records the last two in its audit row), e.g. `defineAction(s, audited(addMember), o)`.
 */
export function audited<I, T>(write: (ctx: ActionContext, actor: CurrentUser, input: I, ipAddress: string | null) => Promise<T>) {
  return (input: I, ctx: ActionContext) => write(ctx, ctx.user, input, ctx.ipAddress);
}

/**
 * Route handlers share the same checks: the principal (a session or an API key, lib/auth/principal),
 * the role, then the handler; errors become JSON with a status. A cookie-authenticated write (any
 * method but GET/HEAD) must also come from the console's own pages (lib/http/same-origin).
 */
export function defineRoute<P = unknown>(
  options: { role: Role },
  handler: (request: Request, ctx: ActionContext & { params: P }) => Promise<Response>,
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const write = request.method !== "GET" && request.method !== "HEAD";
      const { user } = await authenticateWithRole(request.headers, options.role, { write });
      const ctx = await getAuthContext();
      const params = await route.params;
      assertNoNulBytes(params);
      assertNoNulBytes(Object.fromEntries(new URL(request.url).searchParams));
      return await handler(request, {
        ...ctx,
        user,
        headers: request.headers,
        ipAddress: clientIp(request.headers),
        params,
      });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A route's query string parsed with zod; a bad value is a VALIDATION error naming the parameter. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A positive whole number in a query string (row ids, limits), within JavaScript's exact range. */
export const queryId = (what: string) =>
  z.coerce.number(`${what} must be a number.`).int(`${what} must be a whole number.`).min(1, `${what} must be 1 or more.`).max(Number.MAX_SAFE_INTEGER, `${what} is too large.`);
