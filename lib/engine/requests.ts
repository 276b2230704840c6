// Parsing and validation of OpenAI chat and completion requests; every 400 names the bad parameter.

import { badParam, EngineError } from "./errors";

export interface SamplingParams {
  temperature: number;
  topP: number;
  topK?: number;
  minP?: number;
  seed?: number;
  maxTokens?: number;
  stop: string[];
  presencePenalty: number;
  frequencyPenalty: number;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

export type ToolChoice = "none" | "auto" | "required" | { name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown> };

export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; toolCalls: ChatToolCall[] }
  | { role: "tool"; content: string; toolCallId: string };

interface Common {
  model: string;
  sampling: SamplingParams;
  stream: boolean;
  includeUsage: boolean;
}

export interface ChatRequest extends Common {
  messages: ChatMessage[];
  responseFormat: ResponseFormat;
  tools: ToolDefinition[];
  toolChoice: ToolChoice;
  parallelToolCalls: boolean;
}

export interface CompletionRequest extends Common {
  prompt: string;
  echo: boolean;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function num(body: Obj, key: string, min: number, max: number, fallback: number): number {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw badParam(key, `'${key}' must be a number between ${min} and ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function optInt(body: Obj, key: string, min: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw badParam(key, `'${key}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function bool(body: Obj, key: string, fallback: boolean): boolean {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw badParam(key, `'${key}' must be a boolean`);
  return v;
}

function parseCommon(body: unknown, defaultMaxTokens: number | undefined): Common & { body: Obj } {
  if (!isObj(body)) throw new EngineError(400, "The request body must be a JSON object", "invalid_request_error", null, "invalid_json");
  if (typeof body.model !== "string" || !body.model) throw badParam("model", "'model' is required and must be a string", "missing_required_parameter");
  const n = body.n;
  if (n !== undefined && n !== null && n !== 1) throw badParam("n", "Only n = 1 is supported");
  if (body.logprobs !== undefined && body.logprobs !== null && body.logprobs !== false) {
    throw badParam("logprobs", "logprobs are not supported by this engine", "unsupported_parameter");
  }
  let stop: string[] = [];
  if (typeof body.stop === "string") stop = [body.stop];
  else if (Array.isArray(body.stop)) {
    if (body.stop.length > 4 || body.stop.some((s) => typeof s !== "string" || !s)) {
      throw badParam("stop", "'stop' must be a non-empty string or a list of up to 4 non-empty strings");
    }
    stop = body.stop as string[];
  } else if (body.stop !== undefined && body.stop !== null) throw badParam("stop", "'stop' must be a string or a list of strings");
  if (body.stream_options !== undefined && body.stream_options !== null && !isObj(body.stream_options)) {
    throw badParam("stream_options", "'stream_options' must be an object");
  }
  const streamOptions = (body.stream_options ?? {}) as Obj;
  if (streamOptions.include_usage !== undefined && typeof streamOptions.include_usage !== "boolean") {
    throw badParam("stream_options.include_usage", "'stream_options.include_usage' must be a boolean");
  }
  const stream = bool(body, "stream", false);
  if (body.stream_options && !stream) throw badParam("stream_options", "'stream_options' is only allowed when 'stream' is true");
  const maxCompletion = optInt(body, "max_completion_tokens", 1);
  const maxTokens = maxCompletion ?? optInt(body, "max_tokens", 1) ?? defaultMaxTokens;
  return {
    body,
    model: body.model,
    stream,
    includeUsage: streamOptions.include_usage === true,
    sampling: {
      temperature: num(body, "temperature", 0, 2, 1),
      topP: num(body, "top_p", 0, 1, 1),
      topK: optInt(body, "top_k", 0),
      minP: body.min_p === undefined ? undefined : num(body, "min_p", 0, 1, 0),
      seed: body.seed === undefined || body.seed === null ? undefined : seedOf(body.seed),
      maxTokens,
      stop,
      presencePenalty: num(body, "presence_penalty", -2, 2, 0),
      frequencyPenalty: num(body, "frequency_penalty", -2, 2, 0),
    },
  };
}

function seedOf(v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw badParam("seed", "'seed' must be an integer");
  return v >>> 0;
}

function textContent(content: unknown, param: string, allowNull: boolean): string | null {
  if (typeof content === "string") return content;
  if ((content === null || content === undefined) && allowNull) return null;
  if (Array.isArray(content)) {
    return content
      .map((part, i) => {
        if (!isObj(part) || (part.type !== "text" && part.type !== "refusal")) {
          throw badParam(`${param}[${i}]`, "Only text content parts are supported by this engine", "unsupported_content");
        }
        const text = part.type === "text" ? part.text : part.refusal;
        if (typeof text !== "string") throw badParam(`${param}[${i}].text`, "A text content part needs a string 'text'");
        return text;
      })
      .join("");
  }
  throw badParam(param, "Message content must be a string or a list of text parts");
}

function parseMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw badParam("messages", "'messages' must be a non-empty list", "missing_required_parameter");
  return value.map((m, i): ChatMessage => {
    const p = `messages[${i}]`;
    if (!isObj(m)) throw badParam(p, "Each message must be an object");
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: textContent(m.content, `${p}.content`, false)! };
      case "user":
        return { role: "user", content: textContent(m.content, `${p}.content`, false)! };
      case "assistant": {
        const toolCalls: ChatToolCall[] = [];
        if (m.tool_calls !== undefined && m.tool_calls !== null) {
          if (!Array.isArray(m.tool_calls)) throw badParam(`${p}.tool_calls`, "'tool_calls' must be a list");
          m.tool_calls.forEach((c, j) => {
            const fn = isObj(c) && isObj(c.function) ? c.function : undefined;
            if (!isObj(c) || typeof c.id !== "string" || !fn || typeof fn.name !== "string" || typeof fn.arguments !== "string") {
              throw badParam(`${p}.tool_calls[${j}]`, "A tool call needs an id and a function with a name and string arguments");
            }
            toolCalls.push({ id: c.id, name: fn.name, arguments: fn.arguments });
          });
        }
        const content = textContent(m.content, `${p}.content`, true);
        if (content === null && toolCalls.length === 0) throw badParam(`${p}.content`, "An assistant message needs content or tool_calls");
        return { role: "assistant", content, toolCalls };
      }
      case "tool":
        if (typeof m.tool_call_id !== "string") throw badParam(`${p}.tool_call_id`, "A tool message needs a 'tool_call_id'", "missing_required_parameter");
        return { role: "tool", content: textContent(m.content, `${p}.content`, false)!, toolCallId: m.tool_call_id };
      default:
        throw badParam(`${p}.role`, `Unsupported role ${JSON.stringify(m.role)}`);
    }
  });
}

function parseResponseFormat(v: unknown): ResponseFormat {
  if (v === undefined || v === null) return { type: "text" };
  if (!isObj(v)) throw badParam("response_format", "'response_format' must be an object");
  if (v.type === "text" || v.type === "json_object") return { type: v.type };
  if (v.type === "json_schema") {
    const js = v.json_schema;
    if (!isObj(js) || typeof js.name !== "string") throw badParam("response_format.json_schema", "'json_schema' needs a name and a schema");
    if (!isObj(js.schema)) throw badParam("response_format.json_schema.schema", "'json_schema.schema' must be a JSON schema object");
    return { type: "json_schema", name: js.name, schema: js.schema };
  }
  throw badParam("response_format.type", "'response_format.type' must be text, json_object or json_schema");
}

function parseTools(body: Obj): { tools: ToolDefinition[]; toolChoice: ToolChoice } {
  const tools: ToolDefinition[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw badParam("tools", "'tools' must be a list");
    body.tools.forEach((t, i) => {
      const fn = isObj(t) ? t.function : undefined;
      if (!isObj(t) || t.type !== "function" || !isObj(fn)) throw badParam(`tools[${i}]`, "Only function tools are supported");
      if (typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
        throw badParam(`tools[${i}].function.name`, "A function name must be 1-64 letters, digits, underscores or dashes");
      }
      if (fn.parameters !== undefined && !isObj(fn.parameters)) throw badParam(`tools[${i}].function.parameters`, "'parameters' must be a JSON schema object");
      tools.push({
        name: fn.name,
        description: typeof fn.description === "string" ? fn.description : undefined,
        parameters: (fn.parameters as Obj | undefined) ?? { type: "object", properties: {} },
      });
    });
  }
  let toolChoice: ToolChoice = tools.length ? "auto" : "none";
  const tc = body.tool_choice;
  if (tc === "none" || tc === "auto" || tc === "required") toolChoice = tc;
  else if (isObj(tc) && tc.type === "function" && isObj(tc.function) && typeof tc.function.name === "string") {
    const name = tc.function.name;
    if (!tools.some((t) => t.name === name)) throw badParam("tool_choice", `tool_choice names "${name}", which is not in 'tools'`);
    toolChoice = { name };
  } else if (tc !== undefined && tc !== null) throw badParam("tool_choice", "'tool_choice' must be none, auto, required or a named function");
  if (toolChoice !== "none" && !tools.length) throw badParam("tool_choice", "'tool_choice' needs 'tools'");
  return { tools, toolChoice };
}

export function parseChatRequest(body: unknown): ChatRequest {
  const common = parseCommon(body, undefined);
  const { tools, toolChoice } = parseTools(common.body);
  const responseFormat = parseResponseFormat(common.body.response_format);
  if (responseFormat.type !== "text" && toolChoice !== "none") {
    throw badParam("response_format", "'response_format' cannot be combined with tool calls; set tool_choice to none");
  }
  return {
    model: common.model,
    sampling: common.sampling,
    stream: common.stream,
    includeUsage: common.includeUsage,
    messages: parseMessages(common.body.messages),
    responseFormat,
    tools,
    toolChoice,
    parallelToolCalls: bool(common.body, "parallel_tool_calls", true),
  };
}

export function parseCompletionRequest(body: unknown): CompletionRequest {
  // OpenAI's legacy completions default to 16 tokens.
  const common = parseCommon(body, 16);
  let prompt = common.body.prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === "string") prompt = prompt[0];
  if (typeof prompt !== "string") throw badParam("prompt", "'prompt' must be a string (batches and token arrays are not supported)");
  if (common.body.suffix !== undefined && common.body.suffix !== null) throw badParam("suffix", "'suffix' is not supported", "unsupported_parameter");
  if (common.body.best_of !== undefined && common.body.best_of !== null && common.body.best_of !== 1) throw badParam("best_of", "Only best_of = 1 is supported");
  return {
    model: common.model,
    sampling: common.sampling,
    stream: common.stream,
    includeUsage: common.includeUsage,
    prompt,
    echo: bool(common.body, "echo", false),
  };
}
