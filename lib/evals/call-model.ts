// One metered, non-interactive model call for evals (answers and judge verdicts). Until the gateway's
// single door in lib/inference lands, it resolves and streams like the playground does and queues a
// usage row with source "eval".
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { toAppError } from "@/lib/errors";
import { costUsd, streamChat } from "@/lib/inference/stream-chat";
import { getUsageQueue } from "@/lib/metering/usage";
import { providerFetch } from "@/lib/providers/http";
import { resolveModelTarget } from "@/lib/providers/resolve";
import type { EvalMessage } from "./cases";

export interface ModelAnswer {
  requestId: string;
  modelName: string;
  content: string;
  ttftMs: number | null;
  totalMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export type CallModel = (
  modelId: string,
  messages: EvalMessage[],
  params: { temperature?: number; max_tokens?: number; seed?: number },
  signal?: AbortSignal,
) => Promise<ModelAnswer>;

export function evalModelCaller(db: Db, userId: string | null): CallModel {
  return async (modelId, messages, params, signal) => {
    const target = await resolveModelTarget(db, modelId);
    const requestId = randomUUID();
    const at = new Date();
    const t0 = performance.now();
    const meter = (status: "ok" | "error" | "aborted", r: Omit<ModelAnswer, "requestId" | "modelName" | "costUsd"> | null, error?: { code: string; message: string }) => {
      const cost = costUsd(target.price, r?.inputTokens ?? null, r?.outputTokens ?? null);
      getUsageQueue().enqueue({
        requestId,
        at,
        userId,
        source: "eval",
        providerId: target.provider.id,
        providerName: target.provider.name,
        modelId: target.model.id,
        modelName: target.model.name,
        inputTokens: r?.inputTokens ?? null,
        outputTokens: r?.outputTokens ?? null,
        ttftMs: r?.ttftMs ?? null,
        totalMs: r?.totalMs ?? performance.now() - t0,
        costUsd: cost === null ? null : cost.toFixed(10),
        priceId: target.price?.id ?? null,
        status,
        finishReason: null,
        errorCode: error?.code ?? null,
        errorMessage: error?.message ?? null,
      });
      return cost;
    };
    try {
      for await (const event of streamChat(
        { baseUrl: target.baseUrl, apiKey: target.apiKey, model: target.model.name, providerName: target.provider.name },
        { messages, params: { ...params } },
        { fetch: providerFetch, signal },
      )) {
        if (event.type !== "done") continue;
        const r = event.result;
        const cost = meter("ok", r);
        return { requestId, modelName: target.model.name, content: r.content, ttftMs: r.ttftMs, totalMs: r.totalMs, inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: cost };
      }
      throw new Error("the stream ended without a result");
    } catch (error) {
      if (signal?.aborted) meter("aborted", null);
      else meter("error", null, toAppError(error));
      throw error;
    }
  };
}
