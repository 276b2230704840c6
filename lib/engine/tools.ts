// OpenAI messages and tools -> the model's chat history, in llama.cpp server's "generic" tool format:
// the model answers {"tool_calls": [{"name", "arguments"}]} or {"response": "..."}, enforced by a grammar.

import { randomBytes } from "node:crypto";
import type { ChatHistoryItem } from "node-llama-cpp";
import type { ChatMessage, ChatToolCall, ToolChoice, ToolDefinition } from "./requests";
import { schemaViolation } from "./schema-check";

function toolInstructions(tools: ToolDefinition[], choice: ToolChoice, parallel: boolean): string {
  const list = JSON.stringify(tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })));
  const calls = parallel ? "one or more tools" : "exactly one tool";
  const forced = typeof choice === "object" ? ` You must call the tool "${choice.name}".` : choice === "required" ? " You must call a tool." : "";
  return (
    `You can call these tools: ${list}\n` +
    `Respond with one JSON object: {"tool_calls": [{"name": <tool name>, "arguments": <arguments object>}]} to call ${calls}` +
    (choice === "auto" ? `, or {"response": <your answer>} to answer directly.` : ".") +
    forced
  );
}

function assistantText(m: Extract<ChatMessage, { role: "assistant" }>): string {
  if (!m.toolCalls.length) return m.content ?? "";
  const calls = m.toolCalls.map((c) => {
    let args: unknown = c.arguments;
    try {
      args = JSON.parse(c.arguments);
    } catch {
      // Keep arguments that are not JSON as the string the client sent.
    }
    return { name: c.name, arguments: args, id: c.id };
  });
  return (m.content ? `${m.content}\n` : "") + JSON.stringify({ tool_calls: calls });
}

/** The node-llama-cpp chat history for `messages`, with tool instructions in the system message. */
export function toChatHistory(
  messages: ChatMessage[],
  tools: ToolDefinition[],
  choice: ToolChoice,
  parallel: boolean,
): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const m of messages) {
    const last = history[history.length - 1];
    if (m.role === "system") {
      // Merge adjacent system messages: many templates accept only one, and only first.
      if (last?.type === "system") last.text = `${last.text}\n\n${m.content}`;
      else history.push({ type: "system", text: m.content });
    } else if (m.role === "user") {
      history.push({ type: "user", text: m.content });
    } else if (m.role === "tool") {
      history.push({ type: "user", text: JSON.stringify({ tool_response: { tool_call_id: m.toolCallId, content: m.content } }) });
    } else if (m.role === "assistant") {
      history.push({ type: "model", response: [assistantText(m)] });
    }
  }
  if (choice !== "none") {
    const instructions = toolInstructions(tools, choice, parallel);
    const first = history[0];
    if (first?.type === "system") first.text = `${first.text}\n\n${instructions}`;
    else history.unshift({ type: "system", text: instructions });
  }
  history.push({ type: "model", response: [] });
  return history;
}

/** The JSON schema the model's answer must follow when tools are offered. */
export function toolOutputSchema(tools: ToolDefinition[], choice: ToolChoice, parallel: boolean): Record<string, unknown> {
  const offered = typeof choice === "object" ? tools.filter((t) => t.name === choice.name) : tools;
  const calls = offered.map((t) => ({
    type: "object",
    properties: { name: { const: t.name }, arguments: t.parameters },
    required: ["name", "arguments"],
    additionalProperties: false,
  }));
  const callsSchema = {
    type: "object",
    properties: {
      tool_calls: { type: "array", items: calls.length === 1 ? calls[0] : { oneOf: calls }, minItems: 1, ...(parallel ? {} : { maxItems: 1 }) },
    },
    required: ["tool_calls"],
    additionalProperties: false,
  };
  if (choice !== "auto") return callsSchema;
  const answer = { type: "object", properties: { response: { type: "string" } }, required: ["response"], additionalProperties: false };
  return { oneOf: [callsSchema, answer] };
}

export type ToolOutput = { kind: "tool_calls"; toolCalls: ChatToolCall[] } | { kind: "content"; content: string };

export function newToolCallId(): string {
  return `call_${randomBytes(12).toString("hex")}`;
}

/** Parses and validates the model's generic-format answer; throws with a reason when it does not conform. */
export function parseToolOutput(text: string, tools: ToolDefinition[]): ToolOutput {
  const value = JSON.parse(text) as { tool_calls?: { name: string; arguments: unknown }[]; response?: string };
  if (typeof value.response === "string") return { kind: "content", content: value.response };
  if (!Array.isArray(value.tool_calls)) throw new Error("the answer has neither tool_calls nor response");
  return {
    kind: "tool_calls",
    toolCalls: value.tool_calls.map((call) => {
      const tool = tools.find((t) => t.name === call.name);
      if (!tool) throw new Error(`the model called an unknown tool "${call.name}"`);
      const violation = schemaViolation(tool.parameters, call.arguments);
      if (violation) throw new Error(`arguments of "${call.name}" ${violation}`);
      return { id: newToolCallId(), name: call.name, arguments: JSON.stringify(call.arguments) };
    }),
  };
}
