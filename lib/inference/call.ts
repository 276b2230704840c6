// One model call through the one door: resolve, call the provider (streaming), and meter. Every
// caller (playground, gateway, evals, jobs) gets the same events and writes the same usage row;
// only `meter.source` and the key differ.
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import type { NewUsageEvent } from "@/db/schema";
import { AppError, toAppError } from "@/lib/errors";
import { getUsageQueue } from "@/lib/metering/usage";
import { providerStream } from "@/lib/providers/http";
import { trackCall } from "./active-calls";
import type { ChatMessage, ChatParams } from "./chat-schema";
import { resolveTarget, type InferenceTarget } from "./resolve";
import { costUsd, streamChat, type ChatStreamEvent, type ChatStreamResult } from "./stream-chat";
import { firstTokenTimeoutMs as envFirstTokenTimeoutMs } from "@/lib/env";

export interface UsageMeter {
  /** "playground" | "api" | "eval" | "job" ... */
  source: string;
  /** The member the call runs for; their running calls end when they are removed or demoted. */
  userId: string | null;
  apiKeyId?: string | null;
  /** Called with the row once it is queued (budgets add its cost). */
  onRecorded?(row: NewUsageEvent): void;
}

export type ChatCallEvent =
  | Exclude<ChatStreamEvent, { type: "done" }>
  | { type: "done"; result: ChatStreamResult; costUsd: number | null };

export interface ChatCall {
  requestId: string;
  /** Where the call goes (the first replica, for a deployment). */
  target: InferenceTarget;
  /**
   * Streams the answer and queues one usage row however it ends. Throws an AppError on failure
   * (TIMEOUT before the first token, UPSTREAM, FORBIDDEN when the member was removed meanwhile),
   * or the signal's reason when the caller aborted.
   */
  stream(signal?: AbortSignal): AsyncGenerator<ChatCallEvent>;
}

/** Time allowed until the first token, after which the call fails with TIMEOUT (504 on the gateway). */
export function firstTokenTimeoutMs(): number {
  return envFirstTokenTimeoutMs();
}

/**
 * Resolves the model first (NOT_FOUND, UNAVAILABLE are thrown before anything is streamed, so the
 * caller can answer with a plain HTTP error), then returns the call to stream.
 */
export async function prepareChatCall(
  db: Db,
  request: { model: string; messages: ChatMessage[]; params: ChatParams; meter: UsageMeter },
): Promise<ChatCall> {
  const first = await resolveTarget(db, request.model);
  const requestId = randomUUID();
  const { meter } = request;

  return {
    requestId,
    target: first,
    async *stream(signal) {
      const at = new Date();
      const t0 = performance.now();
      const own = new AbortController();
      const untrack = meter.userId ? trackCall(meter.userId, own) : () => {};
      // The caller's abort is forwarded to `own` (cheaper than AbortSignal.any on every call).
      const forward = () => own.abort(signal!.reason);
      if (signal?.aborted) forward();
      else signal?.addEventListener("abort", forward, { once: true });
      const timeoutMs = firstTokenTimeoutMs();
      const timer = setTimeout(
        () => own.abort(new AppError("TIMEOUT", `${first.provider.name} sent no token within ${Math.round(timeoutMs / 1000)} s.`)),
        timeoutMs,
      );
      timer.unref();

      let target = first;
      let result: ChatStreamResult | null = null;
      let failure: AppError | null = null;
      let status: "ok" | "error" | "aborted" = "ok";
      try {
        for (let attempt = 0; ; attempt++) {
          let sawToken = false;
          const lease = target.replica;
          // "aborted" unless it ends otherwise: a consumer that stops reading ends the generator here.
          let outcome: "ok" | "error" | "aborted" = "aborted";
          lease?.started();
          try {
            for await (const event of streamChat(
              { baseUrl: target.baseUrl, apiKey: target.apiKey, model: target.model.name, providerName: target.provider.name },
              request,
              { fetch: providerStream, signal: own.signal },
            )) {
              if (!sawToken) {
                sawToken = true;
                clearTimeout(timer);
              }
              if (event.type === "done") {
                result = event.result;
                outcome = "ok";
                yield { type: "done", result: event.result, costUsd: costUsd(target.price, event.result.inputTokens, event.result.outputTokens) };
              } else {
                yield event;
              }
            }
            outcome = "ok";
            break;
          } catch (error) {
            outcome = own.signal.aborted ? "aborted" : "error";
            // A replica that failed before the first token: ask once for another one and retry there.
            if (lease && !sawToken && !own.signal.aborted && attempt === 0) {
              const next = await resolveTarget(db, request.model, { excludeReplicas: [lease.id] }).catch(() => null);
              if (next?.replica && next.replica.id !== lease.id) {
                target = next;
                continue;
              }
            }
            throw error;
          } finally {
            lease?.ended(outcome);
          }
        }
      } catch (error) {
        const reason = own.signal.aborted ? own.signal.reason : null;
        if (reason instanceof AppError) {
          failure = reason;
          status = reason.code === "FORBIDDEN" ? "aborted" : "error";
        } else if (signal?.aborted) {
          status = "aborted";
        } else {
          failure = toAppError(error);
          status = "error";
        }
        throw failure ?? error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", forward);
        untrack();
        if (!result && status === "ok") status = "aborted"; // the consumer stopped reading early
        const cost = costUsd(target.price, result?.inputTokens ?? null, result?.outputTokens ?? null);
        const row: NewUsageEvent = {
          requestId,
          at,
          // A removed member's row keeps everything but the reference to the user who is gone.
          userId: (failure?.cause as { userRemoved?: boolean } | undefined)?.userRemoved ? null : meter.userId,
          source: meter.source,
          apiKeyId: meter.apiKeyId ?? null,
          replicaId: target.replica?.id ?? null,
          deployment: target.deployment ?? null,
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
          errorCode: failure?.code ?? null,
          errorMessage: failure?.message ?? null,
        };
        getUsageQueue().enqueue(row);
        meter.onRecorded?.(row);
      }
    },
  };
}
