// "View code": the exact request a playground panel sends, as curl, Python and TypeScript using
// the official `openai` clients. The key is always read from an environment variable. Every value
// (base URL, model, prompt text, settings) can be hostile: each is quoted for the language it lands in.
import type { ChatMessage, ChatParams } from "./chat-request";

export interface SnippetInput {
  baseUrl: string;
  apiKeyEnv: string;
  model: string;
  messages: ChatMessage[];
  params: ChatParams;
}

/** The JSON body, in the order a reader expects: model, messages, then the settings. */
export function requestBody(input: SnippetInput): Record<string, unknown> {
  return { model: input.model, messages: input.messages, ...input.params, stream: true, stream_options: { include_usage: true } };
}

/** A word the shell passes through untouched: single quotes, each ' written as '\'' . */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The key's variable name goes inside double quotes in curl and after `process.env`: only a plain name may. */
function envName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not an environment variable name: ${JSON.stringify(name)}`);
  return name;
}

export function curlSnippet(input: SnippetInput): string {
  const url = `${input.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return [
    `curl -N ${shellQuote(url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "Authorization: Bearer $${envName(input.apiKeyEnv)}" \\`,
    `  -d ${shellQuote(JSON.stringify(requestBody(input), null, 2))}`,
  ].join("\n");
}

/** A JSON value written as a Python literal (True/False/None; JSON string escapes are valid Python). */
export function pythonLiteral(value: unknown, indent = 0): string {
  const pad = " ".repeat(indent);
  const inner = " ".repeat(indent + 4);
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + pythonLiteral(v, indent + 4)).join(",\n")},\n${pad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, indent + 4)}`).join(",\n")},\n${pad}}`;
}

export function pythonSnippet(input: SnippetInput): string {
  const body = requestBody(input);
  // Settings whose names are not Python identifiers cannot be keyword arguments: they go in extra_body.
  const entries = Object.entries(body).filter(([, v]) => v !== undefined);
  const named = entries.filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  const extra = entries.filter(([k]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  if (extra.length) named.push(["extra_body", Object.fromEntries(extra)]);
  const args = named.map(([k, v]) => `    ${k}=${pythonLiteral(v, 4)},`).join("\n");
  return [
    "import os",
    "from openai import OpenAI",
    "",
    `client = OpenAI(base_url=${pythonLiteral(input.baseUrl)}, api_key=os.environ[${pythonLiteral(input.apiKeyEnv)}])`,
    "",
    "stream = client.chat.completions.create(",
    args,
    ")",
    "for chunk in stream:",
    "    if chunk.choices and chunk.choices[0].delta.content:",
    '        print(chunk.choices[0].delta.content, end="", flush=True)',
    "print()",
  ].join("\n");
}

export function typescriptSnippet(input: SnippetInput): string {
  const body = JSON.stringify(requestBody(input), null, 2);
  return [
    'import OpenAI from "openai";',
    "",
    `const client = new OpenAI({ baseURL: ${JSON.stringify(input.baseUrl)}, apiKey: process.env[${JSON.stringify(envName(input.apiKeyEnv))}] });`,
    "",
    `const stream = await client.chat.completions.create(${body});`,
    "",
    "for await (const chunk of stream) {",
    '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
    "}",
  ].join("\n");
}

/** The variable every snippet reads the console's API key from. */
export const GATEWAY_API_KEY_ENV = "KINDLING_API_KEY";

/**
 * Where "View code" sends a request: the console's own gateway (stable across restarts, unlike an
 * engine's port), the model's public id, and the key from KINDLING_API_KEY.
 */
export function gatewayEndpoint(consoleUrl: string, publicModelId: string): { baseUrl: string; model: string; apiKeyEnv: string; note: string } {
  return {
    baseUrl: `${consoleUrl.replace(/\/+$/, "")}/v1`,
    model: publicModelId,
    apiKeyEnv: GATEWAY_API_KEY_ENV,
    note: `Create a key on Settings -> API keys and set ${GATEWAY_API_KEY_ENV} to it first. The call goes through this console's gateway, so it is metered under your key and keeps working after a restart.`,
  };
}
