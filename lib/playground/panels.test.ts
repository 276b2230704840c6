import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type PanelSettings } from "./panel-settings";
import { newPanel, panelsToSavedPrompt, pickDefaultModel, replaceLast, savedPromptToPanels } from "./panels";
import type { SavedPromptData } from "./saved-prompt-data";

const saved: SavedPromptData = {
  version: 1,
  systemPrompt: "Answer in JSON.",
  syncSettings: true,
  panels: [
    {
      modelId: "model-a",
      params: { temperature: 0.2, max_tokens: 64, stop: ["END"], seed: 7, response_format: { type: "json_object" } },
      messages: [
        { role: "system", content: "ignored: the system prompt is stored once" },
        { role: "user", content: "Weather in Oslo?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: '{"temp":3}' },
        { role: "assistant", content: '{"temp":3}' },
      ],
    },
    { modelId: "model-b", params: {}, messages: [] },
  ],
};

describe("savedPromptToPanels", () => {
  it("restores the system prompt, sync, and each panel's model, settings and conversation", () => {
    const restored = savedPromptToPanels(saved);
    expect(restored.systemPrompt).toBe("Answer in JSON.");
    expect(restored.syncSettings).toBe(true);
    expect(restored.panels.map((p) => p.modelId)).toEqual(["model-a", "model-b"]);

    const [a, b] = restored.panels;
    expect(a.settings).toMatchObject({ temperature: 0.2, maxTokens: 64, stop: "END", seed: "7", responseFormat: "json_object" });
    expect(b.settings).toEqual({ ...DEFAULT_SETTINGS, topP: 1, presencePenalty: 0, frequencyPenalty: 0, seed: "", stop: "", toolsText: "", toolChoice: "auto" } satisfies PanelSettings);
    expect(a.messages).toEqual([
      { role: "user", content: "Weather in Oslo?" },
      { role: "assistant", content: "", streaming: false, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}' }] },
      { role: "tool", toolCallId: "call_1", name: "get_weather", content: '{"temp":3}' },
      { role: "assistant", content: '{"temp":3}', streaming: false, toolCalls: [] },
    ]);
    expect(b.messages).toEqual([]);
  });

  it("gives fresh panels: distinct keys, settings closed, nothing streaming", () => {
    const { panels } = savedPromptToPanels(saved);
    expect(new Set(panels.map((p) => p.key)).size).toBe(2);
    expect(panels.every((p) => !p.streaming && !p.showSettings)).toBe(true);
  });

  it("round-trips through panelsToSavedPrompt", () => {
    const { systemPrompt, syncSettings, panels } = savedPromptToPanels(saved);
    const again = panelsToSavedPrompt(systemPrompt, syncSettings, panels);
    expect(again.panels[0].messages).toEqual(saved.panels[0].messages.slice(1));
    expect(again.panels[0].params).toMatchObject(saved.panels[0].params);
    expect(savedPromptToPanels(again).panels.map((p) => p.messages)).toEqual(panels.map((p) => p.messages));
  });
});

describe("panel helpers", () => {
  it("pickDefaultModel prefers the requested model, then the starter model, then the first", () => {
    const models = [
      { id: "1", name: "other" },
      { id: "2", name: "kindling-starter" },
    ];
    expect(pickDefaultModel(models, "1")?.id).toBe("1");
    expect(pickDefaultModel(models, "missing")?.id).toBe("2");
    expect(pickDefaultModel([models[0]])?.id).toBe("1");
    expect(pickDefaultModel([])).toBeUndefined();
  });

  it("pickDefaultModel never starts on a deployment unless asked, even one named like the starter", () => {
    const models = [
      { id: "kindling-starter", name: "kindling-starter", providerKind: "deployment" },
      { id: "bot", name: "bot", providerKind: "deployment" },
      { id: "2", name: "kindling-starter", providerKind: "local" },
      { id: "3", name: "gpt", providerKind: "openai-compatible" },
    ];
    expect(pickDefaultModel(models)?.id).toBe("2");
    expect(pickDefaultModel(models.filter((m) => m.id !== "2"))?.id).toBe("3");
    expect(pickDefaultModel(models, "bot")?.id).toBe("bot");
    expect(pickDefaultModel(models.slice(0, 2))?.id).toBe("kindling-starter");
  });

  it("replaceLast changes only a trailing assistant message", () => {
    const panel = newPanel("m");
    const user = [{ role: "user" as const, content: "hi" }];
    expect(replaceLast(user, (m) => ({ ...m, content: "x" }))).toBe(user);
    const withReply = [...user, { role: "assistant" as const, content: "a", toolCalls: [], streaming: true }];
    expect(replaceLast(withReply, (m) => ({ ...m, content: m.content + "b" })).at(-1)).toMatchObject({ content: "ab" });
    expect(panel.messages).toEqual([]);
  });
});
