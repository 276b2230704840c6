// One playground call: resolve the model, stream from its provider, and meter it. Returns the
// SSE stream the browser reads; the usage row is queued when the call ends, however it ends.
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { AppError, toAppError } from "@/lib/errors";
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
  | { type: "error"; code: string; message: string; metrics: CallMetrics | null };

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

const encoder = new TextEncoder();
const frame = (event: PlaygroundEvent) => encoder.encode(`data: ${JSON.stringify(event)}\n\n`);

export async function startPlaygroundChat(
  db: Db,
  user: { id: string },
  request: ChatRequest,
  clientSignal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveModelTarget(db, request.modelId);
  const requestId = randomUUID();
  const upstream = new AbortController();
  const onClientAbort = () => upstream.abort();
  clientSignal.addEventListener("abort", onClientAbort, { once: true });
  const at = new Date();
  const t0 = performance.now();

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

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(frame({ type: "start", requestId }));
      try {
        for await (const event of streamChat(
          { baseUrl: target.baseUrl, apiKey: target.apiKey, model: target.model.name, providerName: target.provider.name },
          request,
          { fetch: providerFetch, signal: upstream.signal },
        )) {
          if (event.type === "done") {
            const r = event.result;
            const cost = record("ok", r);
            controller.enqueue(
              frame({
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
                structured: r.finishReason === "tool_calls" ? null : checkStructuredAnswer(request.params, r.content),
              }),
            );
          } else {
            controller.enqueue(frame(event));
          }
        }
      } catch (error) {
        if (upstream.signal.aborted) {
          record("aborted", null, new AppError("VALIDATION", "Stopped by the user."));
        } else {
          const e = toAppError(error);
          record("error", null, e);
          try {
            controller.enqueue(frame({ type: "error", code: e.code, message: e.message, metrics: null }));
          } catch {
            // the browser is gone
          }
        }
      } finally {
        clientSignal.removeEventListener("abort", onClientAbort);
        try {
          controller.close();
        } catch {
          // already closed by a cancel
        }
      }
    },
    cancel() {
      upstream.abort();
    },
  });
}
