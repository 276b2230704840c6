import { describe, expect, it } from "vitest";
import { mergeToolCallDelta, pendingToolCalls, toChatMessages, type UiMessage } from "./conversation";

describe("conversation", () => {
  it("sends the system prompt and the turns that reached the model, not failed ones", () => {
    const messages: UiMessage[] = [
      { role: "user", content: "hi" },
      { role: "assistant", content: "", toolCalls: [], streaming: false, error: { code: "UPSTREAM", message: "down" } },
      { role: "user", content: "again" },
      { role: "assistant", content: "hello", toolCalls: [], streaming: false },
    ];
    expect(toChatMessages("Be brief.", messages)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
      { role: "user", content: "again" },
      { role: "assistant", content: "hello" },
    ]);
    expect(toChatMessages("  ", messages)[0]).toEqual({ role: "user", content: "hi" });
  });

  it("assembles streamed tool calls and knows which still need an answer", () => {
    let calls = mergeToolCallDelta([], { index: 0, id: "c1", name: "get_", arguments: "" });
    calls = mergeToolCallDelta(calls, { index: 0, name: "weather", arguments: '{"city":' });
    calls = mergeToolCallDelta(calls, { index: 0, arguments: '"Oslo"}' });
    expect(calls).toEqual([{ id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' }]);

    const messages: UiMessage[] = [
      { role: "user", content: "weather?" },
      { role: "assistant", content: "", toolCalls: calls, streaming: false },
    ];
    expect(pendingToolCalls(messages).map((c) => c.id)).toEqual(["c1"]);
    const answered: UiMessage[] = [...messages, { role: "tool", toolCallId: "c1", name: "get_weather", content: "sunny" }];
    expect(pendingToolCalls(answered)).toEqual([]);
    expect(toChatMessages("", answered)).toEqual([
      { role: "user", content: "weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
    ]);
  });
});
