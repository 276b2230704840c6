// Calls a provider's OpenAI-compatible chat endpoint with streaming, and measures it at the
// boundary: time to first token is taken at the first content (or tool-call) delta, not at the
// response headers, the same way for every provider.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { AppError } from "@/lib/errors";
import type { ProviderStreamResponse } from "@/lib/providers/http";
import { redactSecrets } from "@/lib/providers/redact-secrets";
import type { ChatMessage, ChatParams } from "./chat-schema";

export interface ProviderEndpoint {
  /** e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  apiKey: string | null;
  /** The model id at the provider. */
  model: string;
  providerName: string;
}

export type ChatStreamEvent =
  | { type: "delta"; content: string }
  | { type: "tool_call"; index: number; id?: string; name?: string; arguments?: string }
  | { type: "done"; result: ChatStreamResult };

export interface ChatStreamResult {
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  totalMs: number;
  /** Output tokens per second after the first token; null when it cannot be measured. */
  tokensPerSecond: number | null;
  content: string;
}

/**
 * What streamChat reads: providerStream's answer, or a fetch Response (whose ReadableStream body is
 * async-iterable in Node, though the DOM types do not say so).
 */
export type StreamingResponse = ProviderStreamResponse | Response;

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<StreamingResponse>;

interface ChunkChoice {
  delta?: { content?: string | null; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> };
  finish_reason?: string | null;
}

/** What a provider said went wrong, as a plain sentence; OpenAI-shaped error messages are meant for clients. */
async function upstreamError(response: StreamingResponse, providerName: string, apiKey: string | null): Promise<AppError> {
  let detail = "";
  try {
    const body = (await response.json()) as { error?: { message?: string } | string; message?: string };
    const message = typeof body.error === "string" ? body.error : (body.error?.message ?? body.message);
    if (message) detail = `: ${redactSecrets(String(message), [apiKey]).slice(0, 300)}`;
  } catch {
    // not JSON; say only the status
  }
  const status = response.status;
  const code = status === 400 || status === 404 || status === 422 ? "VALIDATION" : status === 429 || status === 503 ? "UNAVAILABLE" : "UPSTREAM";
  const retry = Number(response.headers.get("retry-after")) || undefined;
  // The status rides along as the cause, so the gateway can answer without relaying a remote body.
  return new AppError(code, `${providerName} answered ${status}${detail}`, { retryAfterSeconds: retry, cause: { upstreamStatus: status } });
}

export async function* streamChat(
  endpoint: ProviderEndpoint,
  request: { messages: ChatMessage[]; params: ChatParams },
  options: { fetch: FetchLike; signal?: AbortSignal; now?: () => number },
): AsyncGenerator<ChatStreamEvent> {
  const now = options.now ?? (() => performance.now());
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const body = JSON.stringify({
    ...request.params,
    model: endpoint.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
  });

  const started = now();
  const response = await options.fetch(`${endpoint.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
    method: "POST",
    headers,
    body,
    signal: options.signal,
  });
  if (!response.ok) throw await upstreamError(response, endpoint.providerName, endpoint.apiKey);
  if (!response.body) throw new AppError("UPSTREAM", `${endpoint.providerName} sent an empty response.`);

  let ttft: number | null = null;
  let finishReason: string | null = null;
  let inputTokens: number | null = null;
  let outputTokens: number | null = null;
  let content = "";
  let sawDone = false;
  let streamError: AppError | null = null;
  const pending: ChatStreamEvent[] = [];

  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (message.data === "[DONE]") {
        sawDone = true;
        return;
      }
      let chunk: { choices?: ChunkChoice[]; usage?: { prompt_tokens?: number; completion_tokens?: number } | null; error?: { message?: string } };
      try {
        chunk = JSON.parse(message.data);
      } catch {
        streamError = new AppError("UPSTREAM", `${endpoint.providerName} sent a malformed stream chunk.`);
        return;
      }
      if (chunk.error) {
        streamError = new AppError("UPSTREAM", `${endpoint.providerName} stopped with an error: ${redactSecrets(String(chunk.error.message ?? "unknown"), [endpoint.apiKey]).slice(0, 300)}`);
        return;
      }
      if (chunk.usage) {
        inputTokens = chunk.usage.prompt_tokens ?? inputTokens;
        outputTokens = chunk.usage.completion_tokens ?? outputTokens;
      }
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta;
        if (delta?.content) {
          ttft ??= now() - started;
          content += delta.content;
          // Deltas that arrived in one read (the engine groups a stream's tokens, see lib/engine/sse.ts)
          // go on as one: every event costs each layer above a turn, and the gateway a chunk.
          const last = pending.at(-1);
          if (last?.type === "delta") last.content += delta.content;
          else pending.push({ type: "delta", content: delta.content });
        }
        for (const call of delta?.tool_calls ?? []) {
          ttft ??= now() - started;
          pending.push({ type: "tool_call", index: call.index, id: call.id, name: call.function?.name, arguments: call.function?.arguments });
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    },
  });

  const decoder = new TextDecoder();
  try {
    for await (const value of response.body as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(value, { stream: true }));
      while (pending.length) yield pending.shift()!;
      if (streamError) throw streamError;
      if (sawDone) break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    throw new AppError("UPSTREAM", `${endpoint.providerName} closed the stream before it finished.`, { cause: error });
  }
  if (!sawDone && !finishReason) {
    throw new AppError("UPSTREAM", `${endpoint.providerName} closed the stream before it finished.`);
  }
  const totalMs = now() - started;
  const decodeSeconds = ttft !== null ? (totalMs - ttft) / 1000 : 0;
  const tokensPerSecond = outputTokens !== null && outputTokens > 1 && decodeSeconds > 0 ? (outputTokens - 1) / decodeSeconds : null;
  yield { type: "done", result: { finishReason, inputTokens, outputTokens, ttftMs: ttft, totalMs, tokensPerSecond, content } };
}

/** Dollars for a call at a price per million tokens; null when tokens or price are unknown. */
export function costUsd(
  price: { inputPerMillion: number; outputPerMillion: number } | null,
  inputTokens: number | null,
  outputTokens: number | null,
): number | null {
  if (!price || inputTokens === null || outputTokens === null) return null;
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
