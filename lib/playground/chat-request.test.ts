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

  it("refuses a schema that does not compile and a tool_choice naming no tool", async () => {
    const errors = await checkChatParams({
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "nonsense" } } },
      tools: [{ type: "function", function: { name: "a" } }],
      tool_choice: { type: "function", function: { name: "b" } },
    });
    expect(Object.keys(errors).sort()).toEqual(["params.response_format.json_schema.schema", "params.tool_choice"]);
  });

  it("checks a structured answer against its schema", async () => {
    const params = {
      response_format: {
        type: "json_schema" as const,
        json_schema: { name: "city", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      },
    };
    expect(await checkStructuredAnswer(params, '{"city":"Oslo"}')).toEqual({ valid: true });
    expect(await checkStructuredAnswer(params, '{"town":"Oslo"}')).toEqual({ valid: false, error: "Does not match the schema: (root) must have required property 'city'" });
    expect(await checkStructuredAnswer(params, "not json")).toEqual({ valid: false, error: "The answer is not valid JSON." });
    expect(await checkStructuredAnswer({}, "anything")).toBeNull();
  });
});

describe("hostile JSON schemas", () => {
  const withSchema = (schema: Record<string, unknown>) => ({
    response_format: { type: "json_schema" as const, json_schema: { name: "x", schema } },
  });

  it("a schema with $id works for every request, not only the first", async () => {
    const schema = { $id: "https://example.com/person", type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    for (let i = 0; i < 3; i++) {
      expect(await checkChatParams(withSchema({ ...schema }))).toEqual({});
      expect(await checkStructuredAnswer(withSchema({ ...schema }), '{"name":"Ada"}')).toEqual({ valid: true });
    }
    // Another schema with the same $id is its own schema, not the first one.
    const other = { $id: schema.$id, type: "object", required: ["age"] };
    expect(await checkStructuredAnswer(withSchema(other), '{"name":"Ada"}')).toMatchObject({ valid: false });
  });

  it("refuses an oversized or over-deep schema with a 400-style error naming the field", async () => {
    const properties = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, { type: "string" }]));
    const errors = await checkChatParams({
      ...withSchema({ type: "object", properties }),
      tools: [{ type: "function", function: { name: "t", parameters: { type: "object" } } }],
    });
    expect(Object.keys(errors)).toEqual(["params.response_format.json_schema.schema"]);
    expect(errors["params.response_format.json_schema.schema"][0]).toMatch(/at most 32,000 are accepted/);

    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 40; i++) deep = { type: "array", items: deep };
    const deepErrors = await checkChatParams({ tools: [{ type: "function", function: { name: "t", parameters: deep } }] });
    expect(deepErrors["params.tools.0.function.parameters"][0]).toMatch(/nests deeper than 32 levels/);
  });

  it("keeps the event loop responsive while a slow schema compiles", async () => {
    // About 19 KB of patterned properties: seconds of Ajv code generation on this kind of machine.
    const properties = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, { type: "string", pattern: "^a+$", minLength: 1 }]));
    const schema = { type: "object", properties, required: Object.keys(properties) };
    let last = performance.now();
    let worstLagMs = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worstLagMs = Math.max(worstLagMs, now - last - 10);
      last = now;
    }, 10);
    try {
      const started = performance.now();
      const errors = await checkChatParams(withSchema(schema));
      // A call that blocked the loop never let the timer run: count the gap up to now as lag too.
      worstLagMs = Math.max(worstLagMs, performance.now() - last - 10);
      const tookMs = performance.now() - started;
      expect(errors).toEqual({});
      console.log(`slow schema: compiled in ${tookMs.toFixed(0)} ms, worst event-loop lag ${worstLagMs.toFixed(1)} ms`);
      // The old code blocked the loop for the whole compile; the bound is loose for a shared machine.
      expect(worstLagMs).toBeLessThan(Math.max(100, tookMs / 4));
    } finally {
      clearInterval(tick);
    }
  });

  it("stops a pattern that backtracks for ever on the answer, and the next check still works", async () => {
    // 34 a's and a mismatch: minutes of backtracking, far past the deadline (the old code blocked on it).
    const params = withSchema({ type: "string", pattern: "^(a+)+$" });
    const started = performance.now();
    const result = await checkStructuredAnswer(params, JSON.stringify(`${"a".repeat(34)}!`));
    expect(result).toEqual({ valid: false, error: expect.stringMatching(/took longer than 10 s/) });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(await checkStructuredAnswer(params, '"aaa"')).toEqual({ valid: true });
  });

  it("says why a schema does not compile in one line, without generated code", async () => {
    const errors = await checkChatParams(withSchema({ type: "object", properties: { a: { $ref: "#/definitions/missing" } } }));
    const [message] = errors["params.response_format.json_schema.schema"];
    expect(message).toMatch(/^Not a valid JSON schema: can't resolve reference #\/definitions\/missing/);
    expect(message).not.toContain("\n");
    expect(message).not.toMatch(/function|validate\d|const /);
  });
});
