// The engine's OpenAI-compatible HTTP server (node:http, no framework): chat, completions, models, health, metrics.

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LlamaGrammar, Token } from "node-llama-cpp";
import { badParam, EngineError } from "./errors";
import { SseStream } from "./sse";
import { EngineMetrics } from "./metrics";
import { parseChatRequest, parseCompletionRequest, type SamplingParams } from "./requests";
import type { EngineRuntime, FinishReason, GenerateResult } from "./runtime";
import { UnsupportedSchemaError } from "./json-grammar";
import { compileSchema, schemaViolation } from "./schema-check";
import { parseToolOutput, toChatHistory, toolOutputSchema, type ToolOutput } from "./tools";

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface EngineServer {
  server: Server;
  port: number;
  metrics: EngineMetrics;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new EngineError(413, "The request body is too large", "invalid_request_error", null, "body_too_large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new EngineError(400, "The request body is not valid JSON", "invalid_request_error", null, "invalid_json"));
      }
    });
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function usage(prompt: number, completion: number) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function modelOutputError(message: string): EngineError {
  return new EngineError(500, `The model's output did not conform: ${message}`, "server_error", null, "invalid_model_output");
}

export async function startEngineServer(rt: EngineRuntime, opts: { host: string; port: number }): Promise<EngineServer> {
  const metrics = new EngineMetrics(() => ({ active: rt.active, queued: rt.queued, parallel: rt.options.parallel }));

  function checkModel(model: string): void {
    if (model !== rt.modelId) {
      throw new EngineError(404, `The model '${model}' does not exist; this engine serves '${rt.modelId}'`, "invalid_request_error", "model", "model_not_found");
    }
  }

  /** Runs one generation on a sequence: queueing, abort on disconnect, TTFT and token metrics. */
  async function runGeneration(
    res: ServerResponse,
    started: number,
    tokens: Token[],
    sampling: SamplingParams,
    extra: { grammar?: LlamaGrammar; stopTriggers?: Parameters<EngineRuntime["generate"]>[1]["stopTriggers"] },
    beforeFirst: () => void,
    onText?: (text: string) => void,
  ): Promise<GenerateResult> {
    const abort = new AbortController();
    // A client that goes away frees its sequence (or its place in the queue) at once.
    res.on("close", () => {
      if (!res.writableFinished) abort.abort(new Error("client disconnected"));
    });
    const slot = await rt.acquire(abort.signal).catch((error: unknown) => {
      // Gone while queued: nothing to answer, and not a server error.
      if (abort.signal.aborted) throw new EngineError(499, "The client closed the request", "invalid_request_error", null, "client_closed");
      throw error;
    });
    let first = true;
    try {
      beforeFirst();
      const result = await rt.generate(slot, {
        tokens,
        sampling,
        ...extra,
        signal: abort.signal,
        onText: (text) => {
          if (first) {
            first = false;
            metrics.observeTtft((performance.now() - started) / 1000);
          }
          onText?.(text);
        },
      });
      metrics.promptTokens += tokens.length;
      metrics.completionTokens += result.completionTokens;
      return result;
    } finally {
      rt.release(slot);
    }
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse, started: number): Promise<number> {
    const body = await readBody(req);
    const r = parseChatRequest(body);
    checkModel(r.model);
    const toolsActive = r.toolChoice !== "none";
    const { tokens, stopTriggers } = rt.chatPrompt(toChatHistory(r.messages, r.tools, r.toolChoice, r.parallelToolCalls));
    rt.checkPromptFits(tokens.length, "messages");
    let grammar: LlamaGrammar | undefined;
    const schema = toolsActive
      ? toolOutputSchema(r.tools, r.toolChoice, r.parallelToolCalls)
      : r.responseFormat.type === "json_schema" ? r.responseFormat.schema : undefined;
    if (schema) {
      const param = toolsActive ? "tools" : "response_format.json_schema.schema";
      try {
        compileSchema(schema);
      } catch (error) {
        throw badParam(param, `The JSON schema is not valid: ${(error as Error).message}`, "invalid_schema");
      }
      try {
        grammar = await rt.jsonSchemaGrammar(schema);
      } catch (error) {
        if (error instanceof UnsupportedSchemaError) throw badParam(param, `The JSON schema keyword ${error.message} (it cannot be enforced while generating)`, "unsupported_schema_keyword");
        throw badParam(param, `The JSON schema is not supported: ${(error as Error).message}`, "invalid_schema");
      }
    } else if (r.responseFormat.type === "json_object") grammar = await rt.jsonGrammar();

    const id = `chatcmpl-${randomBytes(12).toString("hex")}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, object: "chat.completion.chunk", created, model: rt.modelId };
    let sse: SseStream | undefined;
    const chunk = (delta: Json, finish: string | null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const result = await runGeneration(
      res,
      started,
      tokens,
      // Constrained output runs until the grammar is complete: the template's end-of-turn text (or a
      // stop string) can occur inside a JSON string or between its tokens and must not cut it.
      grammar ? { ...r.sampling, stop: [] } : r.sampling,
      { grammar, stopTriggers: grammar ? [] : stopTriggers },
      () => {
        if (!r.stream) return;
        sse = new SseStream(res);
        // With tools the answer only comes at the end: the client hears from us at once.
        const role = chunk({ role: "assistant", content: "", refusal: null }, null);
        if (toolsActive) sse.send(role);
        else sse.hold(role);
      },
      r.stream && !toolsActive ? (text) => sse!.token(chunk({ content: text }, null)) : undefined,
    );
    if (result.aborted) return 499;

    let output: ToolOutput = { kind: "content", content: result.text };
    let failure: EngineError | undefined;
    if (result.finishReason === "stop" && schema && toolsActive) {
      try {
        output = parseToolOutput(result.text, r.tools);
      } catch (error) {
        failure = modelOutputError((error as Error).message);
      }
    } else if (result.finishReason === "stop" && grammar) {
      try {
        const value = JSON.parse(result.text) as unknown;
        const violation = schemaViolation(schema ?? {}, value);
        if (violation) failure = modelOutputError(`JSON ${violation}`);
      } catch {
        failure = modelOutputError("not valid JSON");
      }
    }
    const finish: FinishReason | "tool_calls" = output.kind === "tool_calls" ? "tool_calls" : result.finishReason;
    const toolCalls =
      output.kind === "tool_calls"
        ? output.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }))
        : undefined;
    const u = usage(tokens.length, result.completionTokens);

    if (sse) {
      if (failure) {
        sse.fail(failure);
        return 500;
      }
      if (toolCalls) sse.send(chunk({ tool_calls: toolCalls.map((c, index) => ({ index, ...c })) }, null));
      else if (toolsActive && output.kind === "content") sse.send(chunk({ content: output.content }, null));
      sse.queue(chunk({}, finish));
      if (r.includeUsage) sse.queue({ ...base, choices: [], usage: u });
      sse.done();
      return 200;
    }
    if (failure) throw failure;
    sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model: rt.modelId,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: output.kind === "content" ? output.content : null,
            refusal: null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage: u,
    });
    return 200;
  }

  async function completions(req: IncomingMessage, res: ServerResponse, started: number): Promise<number> {
    const r = parseCompletionRequest(await readBody(req));
    checkModel(r.model);
    const tokens = rt.tokenize(r.prompt);
    rt.checkPromptFits(tokens.length, "prompt");
    const id = `cmpl-${randomBytes(12).toString("hex")}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, object: "text_completion", created, model: rt.modelId };
    const chunk = (text: string, finish: string | null) => ({
      ...base,
      choices: [{ index: 0, text, logprobs: null, finish_reason: finish }],
    });
    let sse: SseStream | undefined;
    const result = await runGeneration(
      res,
      started,
      tokens,
      r.sampling,
      {},
      () => {
        if (!r.stream) return;
        sse = new SseStream(res);
        if (r.echo) sse.send(chunk(r.prompt, null));
      },
      r.stream ? (text) => sse!.token(chunk(text, null)) : undefined,
    );
    if (result.aborted) return 499;
    const u = usage(tokens.length, result.completionTokens);
    if (sse) {
      sse.queue(chunk("", result.finishReason));
      if (r.includeUsage) sse.queue({ ...base, choices: [], usage: u });
      sse.done();
      return 200;
    }
    sendJson(res, 200, {
      ...base,
      choices: [{ index: 0, text: (r.echo ? r.prompt : "") + result.text, logprobs: null, finish_reason: result.finishReason }],
      usage: u,
    });
    return 200;
  }

  function modelObject() {
    return { id: rt.modelId, object: "model", created: rt.created, owned_by: "kindling" };
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, started: number): Promise<number> {
    const method = req.method ?? "GET";
    const notAllowed = () => new EngineError(405, `Method ${method} is not allowed on ${path}`, "invalid_request_error", null, "method_not_allowed");
    switch (path) {
      case "/health":
        sendJson(res, 200, {
          status: "ok",
          model: rt.modelId,
          chat_wrapper: rt.chatWrapper.wrapperName,
          context_size: rt.contextSize,
          parallel: rt.options.parallel,
          active: rt.active,
          queued: rt.queued,
        });
        return 200;
      case "/metrics":
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
        res.end(metrics.render());
        return 200;
      case "/v1/models":
        sendJson(res, 200, { object: "list", data: [modelObject()] });
        return 200;
      case "/v1/chat/completions":
        if (method !== "POST") throw notAllowed();
        return chatCompletions(req, res, started);
      case "/v1/completions":
        if (method !== "POST") throw notAllowed();
        return completions(req, res, started);
    }
    if (path.startsWith("/v1/models/")) {
      checkModel(decodeURIComponent(path.slice("/v1/models/".length)));
      sendJson(res, 200, modelObject());
      return 200;
    }
    throw new EngineError(404, `Unknown path ${path}`, "invalid_request_error", null, "unknown_url");
  }

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0];
    const endpoint = ["/health", "/metrics", "/v1/models", "/v1/chat/completions", "/v1/completions"].includes(path) ? path : "other";
    route(req, res, path, started).then(
      (status) => metrics.countRequest(endpoint, status),
      (error: unknown) => {
        const e =
          error instanceof EngineError
            ? error
            : new EngineError(500, "The engine failed to handle the request", "server_error", null, "internal_error");
        if (!(error instanceof EngineError)) process.stderr.write(`engine: ${(error as Error)?.stack ?? String(error)}\n`);
        metrics.countRequest(endpoint, e.status);
        if (res.headersSent) {
          if (!res.writableEnded) res.end(`data: ${JSON.stringify(e.toJSON())}\n\n`);
        } else if (!res.destroyed) sendJson(res, e.status, e.toJSON(), e.headers);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
