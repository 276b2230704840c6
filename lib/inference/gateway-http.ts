// The OpenAI-compatible gateway on the console's own port: GET /v1/models and
// POST /v1/chat/completions, answered by the console's HTTP server (lib/http/direct-routes.ts),
// not by Next. Every call goes through lib/inference (resolve, call, meter as source "api").
// Response headers wait for the provider's first event, so a provider that fails or times out
// before answering gets a real 502/504 status rather than an error inside a 200 stream.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "@/db/client";
import { keyAllowsModel, type VerifiedApiKey } from "@/lib/api-keys/api-keys";
import { addSpend, checkBudget, takeRateLimit } from "@/lib/api-keys/limits";
import { authenticate, bearerToken } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { readJsonBody, sendJson } from "@/lib/http/direct-routes";
import { prepareChatCall, type ChatCall, type ChatCallEvent } from "./call";
import { parseChatCompletionRequest } from "./openai-request";
import { completionBody, mergeToolCall, toOpenAiError, usageOf, type ToolCallOut } from "./openai-shapes";
import { listPublicModels } from "./resolve";

export const GATEWAY_MODELS_PATH = "/v1/models";
export const GATEWAY_CHAT_PATH = "/v1/chat/completions";
const MAX_BODY_BYTES = 4_000_000;

function sendOpenAiError(res: ServerResponse, error: unknown, relayUpstreamText = true): void {
  const e = toOpenAiError(error, { relayUpstreamText });
  sendJson(res, e.status, e.body, e.headers);
}

/** The API key behind the request; the gateway takes keys only (no cookies, so no cross-site requests). */
export async function gatewayKey(req: IncomingMessage): Promise<VerifiedApiKey> {
  // Only the Authorization header matters here: no Headers copy of the whole request.
  const authorization = req.headers.authorization;
  const headers = new Headers(authorization === undefined ? undefined : { authorization });
  if (bearerToken(headers) === null) {
    throw new AppError("UNAUTHENTICATED", "You didn't provide an API key. Send it as `Authorization: Bearer kdl_...`.");
  }
  const principal = await authenticate(headers);
  return principal.apiKey!;
}

export async function handleListModels(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const key = await gatewayKey(req);
    const models = (await listPublicModels(await getDb())).filter((m) => keyAllowsModel(key, m.id));
    sendJson(res, 200, {
      object: "list",
      data: models.map((m) => ({ id: m.id, object: "model", created: Math.floor(m.createdAt.getTime() / 1000), owned_by: m.ownedBy })),
    });
  } catch (error) {
    sendOpenAiError(res, error);
  }
}

export async function handleChatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let relay = true;
  try {
    const key = await gatewayKey(req);
    takeRateLimit(key.id, key.rpmLimit);
    const db = await getDb();
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    const request = await parseChatCompletionRequest(body);
    if (key.monthlyBudgetUsd !== null) await checkBudget(db, key.id, key.monthlyBudgetUsd);
    // Checked before resolving, so a key cannot start a local engine it may not use.
    if (!keyAllowsModel(key, request.model)) {
      throw new AppError("FORBIDDEN", `This API key may not use the model ${request.model}.`, { fieldErrors: { model: ["not allowed"] } });
    }
    const call = await prepareChatCall(db, {
      model: request.model,
      messages: request.messages,
      params: request.params,
      meter: {
        source: "api",
        userId: key.owner.id,
        apiKeyId: key.id,
        onRecorded: (row) => {
          if (row.costUsd) addSpend(key.id, Number(row.costUsd));
        },
      },
    });
    relay = call.target.provider.kind === "local";

    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const meta = { id: `chatcmpl-${call.requestId}`, created: Math.floor(Date.now() / 1000), model: request.model };
    if (request.stream) await streamAnswer(res, call, abort.signal, meta, request.includeUsage, relay);
    else await wholeAnswer(res, call, abort.signal, meta);
  } catch (error) {
    if (!res.headersSent) sendOpenAiError(res, error, relay);
    else res.end();
  }
}

async function wholeAnswer(res: ServerResponse, call: ChatCall, signal: AbortSignal, meta: { id: string; created: number; model: string }) {
  let content = "";
  const toolCalls: ToolCallOut[] = [];
  for await (const event of call.stream(signal)) {
    if (event.type === "delta") content += event.content;
    else if (event.type === "tool_call") mergeToolCall(toolCalls, event);
    else if (event.type === "done") {
      sendJson(res, 200, completionBody({ ...meta, content, toolCalls, result: event.result }), { "x-request-id": call.requestId });
    }
  }
}

async function streamAnswer(
  res: ServerResponse,
  call: ChatCall,
  signal: AbortSignal,
  meta: { id: string; created: number; model: string },
  includeUsage: boolean,
  relay: boolean,
) {
  const head = `{"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"system_fingerprint":null,"choices":`;
  const usageNull = includeUsage ? `,"usage":null` : "";
  const chunk = (choice: object) => `data: ${head}[${JSON.stringify(choice)}]${usageNull}}\n\n`;
  const start = () => {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "x-request-id": call.requestId,
      connection: "keep-alive",
    });
    res.write(chunk({ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }));
  };
  const send = (event: ChatCallEvent) => {
    if (res.destroyed) return;
    if (event.type === "delta") {
      // Once per token: only the content is serialised, the rest of the chunk is fixed text.
      res.write(`data: ${head}[{"index":0,"delta":{"content":${JSON.stringify(event.content)}},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`);
    } else if (event.type === "tool_call") {
      const part: Record<string, unknown> = { index: event.index };
      if (event.id) part.id = event.id;
      if (event.id || event.name) part.type = "function";
      const fn: Record<string, string> = {};
      if (event.name) fn.name = event.name;
      if (event.arguments !== undefined) fn.arguments = event.arguments;
      part.function = fn;
      res.write(chunk({ index: 0, delta: { tool_calls: [part] }, logprobs: null, finish_reason: null }));
    } else {
      res.write(chunk({ index: 0, delta: {}, logprobs: null, finish_reason: event.result.finishReason ?? "stop" }));
      const usage = usageOf(event.result);
      if (includeUsage) res.write(`data: ${head}[],"usage":${JSON.stringify(usage ?? null)}}\n\n`);
      res.write("data: [DONE]\n\n");
    }
  };
  try {
    for await (const event of call.stream(signal)) {
      if (!res.headersSent) start();
      send(event);
    }
    res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    // After the first token the status is sent: the error goes in the stream, as OpenAI does.
    if (!res.destroyed) res.end(`data: ${JSON.stringify(toOpenAiError(error, { relayUpstreamText: relay }).body)}\n\n`);
  }
}
