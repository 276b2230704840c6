// One metered, non-interactive model call for evals (answers and judge verdicts), through the one
// door in lib/inference with source "eval".
import "server-only";
import type { Db } from "@/db/client";
import { prepareChatCall } from "@/lib/inference/call";
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
    const call = await prepareChatCall(db, { model: modelId, messages, params: { ...params }, meter: { source: "eval", userId } });
    for await (const event of call.stream(signal)) {
      if (event.type !== "done") continue;
      const r = event.result;
      return {
        requestId: call.requestId,
        modelName: call.target.model.name,
        content: r.content,
        ttftMs: r.ttftMs,
        totalMs: r.totalMs,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        costUsd: event.costUsd,
      };
    }
    throw new Error("the model's stream ended without a result");
  };
}
