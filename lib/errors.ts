// One error type for the whole app, one mapping to HTTP statuses and one to action results.
import type { z } from "zod";
export const ERROR_CODES = [
  "VALIDATION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "UPSTREAM",
  "TIMEOUT",
  "UNAVAILABLE",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type FieldErrors = Record<string, string[]>;

/** Marks AppErrors across module copies: the console's server and each Next bundle load lib/errors separately. */
const APP_ERROR = Symbol.for("kindling.AppError");

export class AppError extends Error {
  /**
   * `instanceof AppError` holds for an AppError made by another copy of this module too (a member
   * removed in a server action aborts a gateway stream that another bundle serves).
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }

  readonly [APP_ERROR] = true;
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; fieldErrors?: FieldErrors; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
  TIMEOUT: 504,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function httpStatus(code: ErrorCode): number {
  return STATUS[code];
}

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors };

/** Known errors keep their code and message; anything else is logged and becomes a plain sentence. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  console.error("[kindling] unexpected error", error);
  return new AppError("INTERNAL", "Something went wrong on the server. Try again; if it keeps happening, check the server log.", {
    cause: error,
  });
}

export function toActionFailure(error: unknown): Extract<ActionResult<never>, { ok: false }> {
  const e = toAppError(error);
  return { ok: false, code: e.code, message: e.message, ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}) };
}

export function errorResponse(error: unknown): Response {
  const e = toAppError(error);
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds) headers["Retry-After"] = String(e.retryAfterSeconds);
  return Response.json(
    { error: { code: e.code, message: e.message, ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}) } },
    { status: httpStatus(e.code), headers },
  );
}

/** A zod failure as VALIDATION, with every field's messages and the first one named in the message. */
export function validationError(error: z.ZodError): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return new AppError("VALIDATION", `${where}${first?.message ?? "Invalid input."}`, { fieldErrors });
}
