// Errors the engine returns in OpenAI's shape: {error: {message, type, param, code}} with an HTTP status.

export class EngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function badParam(param: string, message: string, code: string | null = "invalid_value"): EngineError {
  return new EngineError(400, message, "invalid_request_error", param, code);
}
