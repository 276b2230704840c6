// OpenAI's response shapes for the gateway: errors `{error: {message, type, param, code}}`, chat
// completions, stream chunks and usage, built from lib/inference's call events.
import { AppError, httpStatus, toAppError, type ErrorCode } from "@/lib/errors";
import type { ChatStreamResult } from "./stream-chat";

export interface OpenAiError {
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

function upstreamStatusOf(e: AppError): number | null {
  const cause = e.cause as { upstreamStatus?: unknown } | undefined;
  return typeof cause?.upstreamStatus === "number" ? cause.upstreamStatus : null;
}

/**
 * An error as OpenAI answers it. `relayUpstreamText` is false for remote providers: their error
 * bodies may echo keys or internals, so a client sees only the status (the usage row keeps the text).
 */
export function toOpenAiError(
  error: unknown,
  options: {
    relayUpstreamText?: boolean;
    /** Per error code, the OpenAI `code` and default `param` to use instead of the chat gateway's (files, jobs). */
    overrides?: Partial<Record<ErrorCode, { code: string | null; param: string | null }>>;
  } = {},
): OpenAiError {
  const e = toAppError(error);
  const status = httpStatus(e.code);
  let message = e.message;
  const upstream = upstreamStatusOf(e);
  if (upstream !== null && !options.relayUpstreamText) {
    message = `The model's provider answered HTTP ${upstream}.`;
  }
  const param = e.fieldErrors ? (Object.keys(e.fieldErrors)[0] ?? null) : null;
  const byCode: Record<string, { type: string; code: string | null }> = {
    VALIDATION: { type: "invalid_request_error", code: "invalid_value" },
    UNAUTHENTICATED: { type: "invalid_request_error", code: "invalid_api_key" },
    FORBIDDEN: { type: "permission_error", code: "model_not_allowed" },
    NOT_FOUND: { type: "invalid_request_error", code: "model_not_found" },
    CONFLICT: { type: "invalid_request_error", code: "conflict" },
    RATE_LIMITED: (e.cause as { budget?: boolean } | undefined)?.budget
      ? { type: "insufficient_quota", code: "insufficient_quota" }
      : { type: "requests", code: "rate_limit_exceeded" },
    UPSTREAM: { type: "api_error", code: "upstream_error" },
    TIMEOUT: { type: "api_error", code: "upstream_timeout" },
    UNAVAILABLE: { type: "api_error", code: "model_unavailable" },
    INTERNAL: { type: "server_error", code: null },
  };
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds) headers["retry-after"] = String(e.retryAfterSeconds);
  const { type } = byCode[e.code] ?? byCode.INTERNAL;
  const override = options.overrides?.[e.code];
  const code = override ? override.code : (byCode[e.code] ?? byCode.INTERNAL).code;
  const fallbackParam = override ? override.param : e.code === "NOT_FOUND" || e.code === "FORBIDDEN" ? "model" : null;
  return { status, headers, body: { error: { message, type, param: param ?? fallbackParam, code } } };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageOf(result: ChatStreamResult): Usage | undefined {
  if (result.inputTokens === null || result.outputTokens === null) return undefined;
  return { prompt_tokens: result.inputTokens, completion_tokens: result.outputTokens, total_tokens: result.inputTokens + result.outputTokens };
}

export interface ToolCallOut {
  index: number;
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** Merges streamed tool-call fragments by index, as OpenAI's clients do. */
export function mergeToolCall(calls: ToolCallOut[], part: { index: number; id?: string; name?: string; arguments?: string }): void {
  let call = calls.find((c) => c.index === part.index);
  if (!call) {
    call = { index: part.index, id: part.id ?? "", type: "function", function: { name: part.name ?? "", arguments: "" } };
    calls.push(call);
  } else {
    if (part.id) call.id = part.id;
    if (part.name && !call.function.name) call.function.name = part.name;
  }
  if (part.arguments) call.function.arguments += part.arguments;
}

export function completionBody(input: {
  id: string;
  created: number;
  model: string;
  content: string;
  toolCalls: ToolCallOut[];
  result: ChatStreamResult;
}) {
  const usage = usageOf(input.result);
  const hasTools = input.toolCalls.length > 0;
  return {
    id: input.id,
    object: "chat.completion" as const,
    created: input.created,
    model: input.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: hasTools && !input.content ? null : input.content,
          refusal: null,
          ...(hasTools ? { tool_calls: input.toolCalls.map(({ id, type, function: f }) => ({ id, type, function: f })) } : {}),
        },
        logprobs: null,
        finish_reason: input.result.finishReason ?? "stop",
      },
    ],
    ...(usage ? { usage } : {}),
  };
}
