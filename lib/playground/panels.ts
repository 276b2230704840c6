// The playground's panels as the browser keeps them, and their conversion to and from a saved
// prompt. Pure functions: the view's hooks call them, and panels.test.ts checks them.
import type { ChatMessage } from "./chat-request";
import { toChatMessages, type AssistantMessage, type UiMessage } from "./conversation";
import { DEFAULT_SETTINGS, paramsToSettings, settingsToParams, type PanelSettings } from "./panel-settings";
import type { SavedPromptData } from "./saved-prompt-data";

export const MAX_PANELS = 4;

export interface PanelState {
  key: string;
  modelId: string;
  settings: PanelSettings;
  messages: UiMessage[];
  showSettings: boolean;
  streaming: boolean;
}

let nextKey = 0;

export function newPanel(modelId: string, settings: PanelSettings = DEFAULT_SETTINGS): PanelState {
  return { key: `p${nextKey++}`, modelId, settings, messages: [], showSettings: false, streaming: false };
}

/** Applies fn to the last message when it is the assistant's reply; otherwise changes nothing. */
export function replaceLast(messages: UiMessage[], fn: (m: AssistantMessage) => AssistantMessage): UiMessage[] {
  const last = messages.at(-1);
  if (!last || last.role !== "assistant") return messages;
  return [...messages.slice(0, -1), fn(last)];
}

/**
 * The model a new playground starts with: the one asked for, else the starter model, else the first
 * catalogue model. A deployment only when asked for: it may be scaled to zero or paused.
 */
export function pickDefaultModel<M extends { id: string; name: string; providerKind?: string }>(models: M[], requestedId?: string): M | undefined {
  const catalogue = models.filter((m) => m.providerKind !== "deployment");
  return models.find((m) => m.id === requestedId) ?? catalogue.find((m) => m.name === "kindling-starter") ?? catalogue[0] ?? models[0];
}

/** What "Save" stores: the system prompt, sync, and each panel's model, parameters and conversation. */
export function panelsToSavedPrompt(systemPrompt: string, syncSettings: boolean, panels: PanelState[]): SavedPromptData {
  return {
    version: 1,
    systemPrompt,
    syncSettings,
    panels: panels.map((p) => ({ modelId: p.modelId, params: settingsToParams(p.settings).params, messages: toChatMessages("", p.messages) })),
  };
}

/** A stored conversation back into the panel's messages (the system prompt lives outside panels). */
export function chatMessagesToUi(messages: ChatMessage[]): UiMessage[] {
  const toolNames = new Map<string, string>();
  return messages.flatMap((m): UiMessage[] => {
    if (m.role === "system") return [];
    if (m.role === "user") return [{ role: "user", content: m.content }];
    if (m.role === "tool") return [{ role: "tool", toolCallId: m.tool_call_id, name: toolNames.get(m.tool_call_id) ?? "tool", content: m.content }];
    const toolCalls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
    for (const c of toolCalls) toolNames.set(c.id, c.name);
    return [{ role: "assistant", content: m.content ?? "", streaming: false, toolCalls }];
  });
}

/** What "Load" restores: fresh panels (new keys, settings closed, nothing streaming). */
export function savedPromptToPanels(data: SavedPromptData): { systemPrompt: string; syncSettings: boolean; panels: PanelState[] } {
  return {
    systemPrompt: data.systemPrompt,
    syncSettings: data.syncSettings,
    panels: data.panels.map((sp) => ({ ...newPanel(sp.modelId, paramsToSettings(sp.params)), messages: chatMessagesToUi(sp.messages) })),
  };
}
