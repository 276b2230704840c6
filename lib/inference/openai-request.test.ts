import { describe, expect, it } from "vitest";
import { appErrorOf } from "@/lib/testing/app-error";
import { openAiParam, parseChatCompletionRequest } from "./openai-request";

describe("parseChatCompletionRequest", () => {
  it("normalises the public shape: content parts, developer messages, a string stop, max_completion_tokens", async () => {
    const r = await parseChatCompletionRequest({
      model: "kindling-starter",
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Hello " }, { type: "text", text: "there" }], name: "ann" },
      ],
      stop: "\n",
      max_completion_tokens: 20,
      max_tokens: 5,
      seed: 3,
      n: 1,
      stream: true,
      stream_options: { include_usage: true },
      temperature: null,
      user: "someone",
    });
    expect(r.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello there" },
    ]);
    expect(r.params).toEqual({ stop: ["\n"], max_tokens: 20, seed: 3 });
    expect(r.stream).toBe(true);
    expect(r.includeUsage).toBe(true);
  });

  it("names the bad parameter the way OpenAI does", async () => {
    const cases: [unknown, string][] = [
      [{ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 3 }, "temperature"],
      [{ model: "m", messages: [{ role: "user", content: "hi" }], n: 2 }, "n"],
      [{ model: "m", messages: [{ role: "user", content: "hi" }, { role: "robot", content: "x" }] }, "messages[1].role"],
      [{ messages: [{ role: "user", content: "hi" }] }, "model"],
      [{ model: "m", messages: [{ role: "user", content: "hi" }], max_completion_tokens: 0 }, "max_completion_tokens"],
      [
        { model: "m", messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "a" } }], tool_choice: { type: "function", function: { name: "b" } } },
        "tool_choice",
      ],
      [{ model: "m", messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "nope" } } } }, "response_format.json_schema.schema"],
      [{ model: "m\u0000", messages: [{ role: "user", content: "hi" }] }, "model"],
      [{ model: "m", messages: [{ role: "user", content: "hi" }, { role: "user", content: "a\u0000b" }] }, "messages[1].content"],
    ];
    for (const [body, param] of cases) {
      const e = await appErrorOf(parseChatCompletionRequest(body));
      expect(e.code).toBe("VALIDATION");
      expect(Object.keys(e.fieldErrors ?? {})[0], JSON.stringify(body)).toBe(param);
    }
  });

  it("writes paths as OpenAI's params", () => {
    expect(openAiParam(["messages", 2, "content"])).toBe("messages[2].content");
    expect(openAiParam(["tools", 0, "function", "parameters"])).toBe("tools[0].function.parameters");
    expect(openAiParam([])).toBeNull();
  });
});
