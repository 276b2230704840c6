import { describe, expect, it } from "vitest";
import { chatRequestSchema, checkChatParams, checkStructuredAnswer } from "./chat-request";

describe("chat request", () => {
  it("accepts a full OpenAI-shaped request", () => {
    const parsed = chatRequestSchema.parse({
      modelId: "m1",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "sunny" },
      ],
      params: { temperature: 0.2, stop: ["\n\n"], seed: 7, tools: [{ type: "function", function: { name: "weather" } }] },
    });
    expect(parsed.messages).toHaveLength(4);
  });

  it("names the field that is wrong", () => {
    const result = chatRequestSchema.safeParse({ modelId: "m1", messages: [{ role: "user", content: "hi" }], params: { temperature: 3 } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(["params", "temperature"]);
  });

  it("refuses a schema that does not compile and a tool_choice naming no tool", () => {
    const errors = checkChatParams({
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "nonsense" } } },
      tools: [{ type: "function", function: { name: "a" } }],
      tool_choice: { type: "function", function: { name: "b" } },
    });
    expect(Object.keys(errors).sort()).toEqual(["params.response_format.json_schema.schema", "params.tool_choice"]);
  });

  it("checks a structured answer against its schema", () => {
    const params = {
      response_format: {
        type: "json_schema" as const,
        json_schema: { name: "city", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      },
    };
    expect(checkStructuredAnswer(params, '{"city":"Oslo"}')).toEqual({ valid: true });
    expect(checkStructuredAnswer(params, '{"town":"Oslo"}')?.valid).toBe(false);
    expect(checkStructuredAnswer(params, "not json")).toEqual({ valid: false, error: "The answer is not valid JSON." });
    expect(checkStructuredAnswer({}, "anything")).toBeNull();
  });
});
