// One playground call: resolve the model, stream from its provider, and meter it. The usage row
// is queued when the call ends, however it ends.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { toAppError, type AppError } from "@/lib/errors";
import { costUsd, streamChat, type ChatStreamResult } from "@/lib/inference/stream-chat";
import { getUsageQueue } from "@/lib/metering/usage";
import { providerFetch } from "@/lib/providers/http";
import { resolveModelTarget } from "@/lib/providers/resolve";
import { checkStructuredAnswer, type ChatRequest } from "./chat-request";

/** What the browser receives, one JSON object per SSE `data:` line. */
export type PlaygroundEvent =
  | { type: "start"; requestId: string }
  | { type: "delta"; content: string }
  | { type: "tool_call"; index: number; id?: string; name?: string; arguments?: string }
  | { type: "done"; metrics: CallMetrics; structured: { valid: boolean; error?: string } | null }
  | { type: "error"; code: string; message: string };

export interface CallMetrics {
  requestId: string;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  totalMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  finishReason: string | null;
}

export interface PreparedChat {
  requestId: string;
  /** Streams the call, handing each event to `write`; never throws (errors become an event). */
  run(signal: AbortSignal, write: (event: PlaygroundEvent) => void): Promise<void>;
}

/**
 * Resolves the model first (unknown model, engine that cannot load: thrown before anything is
 * streamed, so the caller can answer with a plain HTTP error), then returns the call to run.
 */
export async function preparePlaygroundChat(db: Db, user: { id: string }, request: ChatRequest): Promise<PreparedChat> {
  const target = await resolveModelTarget(db, request.modelId);
  const requestId = randomUUID();

  return {
    requestId,
    async run(signal, write) {
      const at = new Date();
      const t0 = performance.now();
      // A stopped call is not an error: its row says "aborted" and carries no error code.
      const record = (status: "ok" | "error" | "aborted", result: ChatStreamResult | null, error?: AppError) => {
        const cost = costUsd(target.price, result?.inputTokens ?? null, result?.outputTokens ?? null);
        getUsageQueue().enqueue({
          requestId,
          at,
          userId: user.id,
          source: "playground",
          providerId: target.provider.id,
          providerName: target.provider.name,
          modelId: target.model.id,
          modelName: target.model.name,
          inputTokens: result?.inputTokens ?? null,
          outputTokens: result?.outputTokens ?? null,
          ttftMs: result?.ttftMs ?? null,
          totalMs: result?.totalMs ?? performance.now() - t0,
          costUsd: cost === null ? null : cost.toFixed(10),
          priceId: target.price?.id ?? null,
          status,
          finishReason: result?.finishReason ?? null,
          errorCode: error?.code ?? null,
          errorMessage: error?.message ?? null,
        });
        return cost;
      };

      write({ type: "start", requestId });
      try {
        for await (const event of streamChat(
          { baseUrl: target.baseUrl, apiKey: target.apiKey, model: target.model.name, providerName: target.provider.name },
          request,
          { fetch: providerFetch, signal },
        )) {
          if (event.type !== "done") {
            write(event);
            continue;
          }
          const r = event.result;
          const cost = record("ok", r);
          const structured = r.finishReason === "tool_calls" ? null : await checkStructuredAnswer(request.params, r.content);
          write({
            type: "done",
            metrics: {
              requestId,
              ttftMs: r.ttftMs,
              tokensPerSecond: r.tokensPerSecond,
              totalMs: r.totalMs,
              inputTokens: r.inputTokens,
              outputTokens: r.outputTokens,
              costUsd: cost,
              finishReason: r.finishReason,
            },
            structured,
          });
        }
      } catch (error) {
        if (signal.aborted) {
          record("aborted", null);
        } else {
          const e = toAppError(error);
          record("error", null, e);
          write({ type: "error", code: e.code, message: e.message });
        }
      }
    },
  };
}
