// A playground panel's conversation as the browser keeps it, and its conversion to the
// OpenAI messages a request sends. Pure functions, shared by the view and its tests.
import type { ChatMessage } from "./chat-request";
import type { CallMetrics } from "@/lib/inference/events";

export interface ToolCallUi {
  id: string;
  name: string;
  arguments: string;
}

export type UiMessage =
  | { role: "user"; content: string }
  | {
      role: "assistant";
      content: string;
      toolCalls: ToolCallUi[];
      streaming: boolean;
      metrics?: CallMetrics;
      structured?: { valid: boolean; error?: string } | null;
      stopped?: boolean;
      error?: { code: string; message: string };
    }
  | { role: "tool"; toolCallId: string; name: string; content: string };

export type AssistantMessage = Extract<UiMessage, { role: "assistant" }>;

/** The request's messages: the system prompt, then every turn that reached the model. */
export function toChatMessages(systemPrompt: string, messages: UiMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (systemPrompt.trim()) out.push({ role: "system", content: systemPrompt });
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "tool") out.push({ role: "tool", tool_call_id: m.toolCallId, content: m.content });
    else {
      if (m.error || (m.content === "" && m.toolCalls.length === 0)) continue;
      out.push(
        m.toolCalls.length
          ? {
              role: "assistant",
              content: m.content || null,
              tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } })),
            }
          : { role: "assistant", content: m.content },
      );
    }
  }
  return out;
}

/** Merges one streamed tool-call delta into the calls seen so far (OpenAI streams them in pieces by index). */
export function mergeToolCallDelta(calls: ToolCallUi[], delta: { index: number; id?: string; name?: string; arguments?: string }): ToolCallUi[] {
  const next = calls.slice();
  const current = next[delta.index] ?? { id: "", name: "", arguments: "" };
  next[delta.index] = {
    id: delta.id ?? current.id,
    name: current.name + (delta.name ?? ""),
    arguments: current.arguments + (delta.arguments ?? ""),
  };
  return next;
}

/** Tool calls of the last assistant turn that have no answer yet. */
export function pendingToolCalls(messages: UiMessage[]): ToolCallUi[] {
  const last = messages.findLastIndex((m) => m.role === "assistant");
  if (last < 0) return [];
  const a = messages[last] as AssistantMessage;
  if (a.streaming || a.error) return [];
  const answered = new Set(messages.slice(last + 1).flatMap((m) => (m.role === "tool" ? [m.toolCallId] : [])));
  return a.toolCalls.filter((c) => !answered.has(c.id));
}
