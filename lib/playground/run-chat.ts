// One playground call through lib/inference: the model resolved before anything is streamed, then
// the call's events turned into the browser's PlaygroundEvents. Metered by lib/inference as
// source "playground".
import type { Db } from "@/db/client";
import { toAppError } from "@/lib/errors";
import { prepareChatCall } from "@/lib/inference/call";
import type { PlaygroundEvent } from "@/lib/inference/events";
import { checkStructuredAnswer, type ChatRequest } from "./chat-request";

export type { CallMetrics, PlaygroundEvent } from "@/lib/inference/events";

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
  const call = await prepareChatCall(db, {
    model: request.modelId,
    messages: request.messages,
    params: request.params,
    meter: { source: "playground", userId: user.id },
  });
  const { requestId } = call;

  return {
    requestId,
    async run(signal, write) {
      write({ type: "start", requestId });
      try {
        for await (const event of call.stream(signal)) {
          if (event.type !== "done") {
            write(event);
            continue;
          }
          const r = event.result;
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
              costUsd: event.costUsd,
              finishReason: r.finishReason,
            },
            structured,
          });
        }
      } catch (error) {
        if (signal.aborted) return;
        const e = toAppError(error);
        write({ type: "error", code: e.code, message: e.message });
      }
    },
  };
}
