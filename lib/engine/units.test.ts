// Pure parts of the engine: command-line options, request validation, tool formats, model listing.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeLoraAdapterGguf } from "@/lib/gguf/llama";
import { writeTestModel } from "@/lib/gguf/test-model";
import { parseEngineArgs } from "./args";
import { EngineError } from "./errors";
import { listModelFiles } from "./model-files";
import { parseChatRequest, parseCompletionRequest } from "./requests";
import { parseToolOutput, toChatHistory, toolOutputSchema } from "./tools";

describe("parseEngineArgs", () => {
  it("reads every option with defaults", () => {
    expect(parseEngineArgs(["--model", "m.gguf", "--port", "0"])).toEqual({
      modelPath: "m.gguf", modelId: undefined, host: "127.0.0.1", port: 0, threads: 1, parallel: 1, queue: 64, ctx: undefined, loras: [], nice: 0,
    });
    const o = parseEngineArgs(["--model", "m.gguf", "--port", "8080", "--threads", "2", "--parallel", "4", "--queue", "3", "--ctx", "512", "--lora", "a.gguf", "--lora", "b.gguf:0.5", "--id", "x", "--nice", "7"]);
    expect(o).toMatchObject({ port: 8080, threads: 2, parallel: 4, queue: 3, ctx: 512, modelId: "x", nice: 7 });
    expect(o.loras).toEqual([{ path: "a.gguf", scale: 1 }, { path: "b.gguf", scale: 0.5 }]);
  });

  it("refuses missing and bad options", () => {
    expect(() => parseEngineArgs(["--port", "1"])).toThrow(/--model is required/);
    expect(() => parseEngineArgs(["--model", "m", "--port", "x"])).toThrow(/--port needs an integer/);
    expect(() => parseEngineArgs(["--model", "m", "--port", "1", "--threads", "0"])).toThrow(/--threads/);
    expect(() => parseEngineArgs(["--model", "m", "--port", "1", "--fast"])).toThrow(/unknown option --fast/);
    expect(() => parseEngineArgs(["--model", "m", "--port", "1", "--nice", "20"])).toThrow(/--nice needs an integer from 0 to 19/);
    expect(() => parseEngineArgs(["--model", "m", "--port", "1", "--nice", "-1"])).toThrow(/--nice needs an integer >= 0/);
  });
});

describe("request validation", () => {
  const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
  const param = (body: unknown, parse: (b: unknown) => unknown = parseChatRequest) => {
    try {
      parse(body);
    } catch (error) {
      return (error as EngineError).param;
    }
    return "accepted";
  };

  it("maps OpenAI parameters", () => {
    const r = parseChatRequest({ ...base, temperature: 0.5, top_p: 0.9, max_tokens: 10, max_completion_tokens: 7, stop: "x", seed: 5, presence_penalty: 1, stream: true, stream_options: { include_usage: true } });
    expect(r.sampling).toMatchObject({ temperature: 0.5, topP: 0.9, maxTokens: 7, stop: ["x"], seed: 5, presencePenalty: 1, frequencyPenalty: 0 });
    expect(r.includeUsage).toBe(true);
    expect(parseCompletionRequest({ model: "m", prompt: ["one"] }).sampling.maxTokens).toBe(16);
  });

  it("names the bad parameter", () => {
    expect(param({ ...base, temperature: "hot" })).toBe("temperature");
    expect(param({ ...base, max_tokens: 0 })).toBe("max_tokens");
    expect(param({ ...base, stop: ["a", "b", "c", "d", "e"] })).toBe("stop");
    expect(param({ ...base, n: 2 })).toBe("n");
    expect(param({ ...base, messages: [] })).toBe("messages");
    expect(param({ ...base, messages: [{ role: "user", content: [{ type: "image_url" }] }] })).toBe("messages[0].content[0]");
    expect(param({ ...base, messages: [{ role: "tool", content: "x" }] })).toBe("messages[0].tool_call_id");
    expect(param({ ...base, tool_choice: "required" })).toBe("tool_choice");
    expect(param({ ...base, tools: [{ type: "function", function: { name: "bad name" } }] })).toBe("tools[0].function.name");
    expect(param({ ...base, response_format: { type: "json_schema", json_schema: { name: "x", schema: 1 } } })).toBe("response_format.json_schema.schema");
    expect(param({ model: "m", prompt: 3 }, parseCompletionRequest)).toBe("prompt");
    expect(param({ ...base, stream_options: { include_usage: true } })).toBe("stream_options");
    expect(param({ ...base })).toBe("accepted");
  });
});

describe("generic tool format", () => {
  const tools = [{ name: "f", parameters: { type: "object", properties: { a: { type: "integer" } }, required: ["a"] } }];

  it("puts the tool list in the system message and assistant calls back as JSON", () => {
    const history = toChatHistory(
      [
        { role: "system", content: "Be brief." },
        { role: "system", content: "Be kind." },
        { role: "user", content: "q" },
        { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "f", arguments: '{"a":1}' }] },
        { role: "tool", content: "2", toolCallId: "call_1" },
      ],
      tools,
      "auto",
      true,
    );
    expect(history[0]).toMatchObject({ type: "system" });
    expect((history[0] as { text: string }).text).toMatch(/^Be brief\.\n\nBe kind\.\n\nYou can call these tools: \[\{"name":"f"/);
    expect(history[2]).toEqual({ type: "model", response: ['{"tool_calls":[{"name":"f","arguments":{"a":1},"id":"call_1"}]}'] });
    expect(history[3]).toEqual({ type: "user", text: '{"tool_response":{"tool_call_id":"call_1","content":"2"}}' });
    expect(history.at(-1)).toEqual({ type: "model", response: [] });
  });

  it("parses calls, answers, and refuses arguments that break the schema", () => {
    expect(toolOutputSchema(tools, "required", false)).toMatchObject({ properties: { tool_calls: { maxItems: 1, minItems: 1 } } });
    const out = parseToolOutput('{"tool_calls":[{"name":"f","arguments":{"a":3}}]}', tools);
    expect(out).toMatchObject({ kind: "tool_calls", toolCalls: [{ name: "f", arguments: '{"a":3}' }] });
    expect(parseToolOutput('{"response":"hello"}', tools)).toEqual({ kind: "content", content: "hello" });
    expect(() => parseToolOutput('{"tool_calls":[{"name":"f","arguments":{"a":1E999}}]}', tools)).toThrow(/arguments of "f"/);
    expect(() => parseToolOutput('{"tool_calls":[{"name":"g","arguments":{}}]}', tools)).toThrow(/unknown tool "g"/);
  });
});

describe("listModelFiles", () => {
  it("describes models, adapters and unreadable files from their headers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kindling-models-"));
    try {
      await writeTestModel(join(dir, "tiny.gguf"), { fileType: "F16" });
      await writeLoraAdapterGguf(join(dir, "tiny-lora.gguf"), { alpha: 8, tensors: new Map([["blk.0.attn_q.weight", { a: new Float32Array(64 * 4), b: new Float32Array(64 * 4), rank: 4 }]]) });
      await writeFile(join(dir, "broken.gguf"), "nope");
      await writeFile(join(dir, "notes.txt"), "ignored");
      const files = await listModelFiles(dir);
      expect(files.map((f) => [f.id, f.kind])).toEqual([["broken", "model"], ["tiny-lora", "adapter"], ["tiny", "model"]]);
      expect(files[0].error).toMatch(/not a GGUF file/);
      expect(files[2]).toMatchObject({ architecture: "llama", contextLength: 1024, tensorTypes: ["F16", "F32"], hasChatTemplate: true });
      expect(await listModelFiles(join(dir, "missing"))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
