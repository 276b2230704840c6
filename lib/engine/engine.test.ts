// The engine end to end: a generated model served by real engine processes under the manager, called
// with the official openai client; every response is checked against OpenAI's published schemas.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llamaGreedy } from "@/lib/gguf/forward";
import { ASSISTANT_ID, END_ID, USER_ID, decodeTokens, encodeText } from "@/lib/gguf/kindling-vocab";
import { writeLoraAdapterGguf } from "@/lib/gguf/llama";
import { readGguf, readTensorData } from "@/lib/gguf/reader";
import { createTestModel, writeTestModel } from "@/lib/gguf/test-model";
import { writeGguf } from "@/lib/gguf/writer";
import schemas from "./fixtures/openai-response-schemas.json";
import { writeQwen2TestModel } from "./fixtures/qwen2-test-model";
import { EngineManager, type EngineInfo } from "./manager";

/** OpenAPI's `nullable: true` in JSON Schema terms (ajv only accepts it beside a `type`). */
function withNullables(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullables);
  if (typeof node !== "object" || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const mapped = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withNullables(v)]));
  return nullable === true ? { anyOf: [mapped, { type: "null" }] } : mapped;
}

const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addSchema(withNullables(schemas) as object, "openai");

function expectSchema(name: string, value: unknown): void {
  const validate = ajv.getSchema(`openai#/components/schemas/${name}`)!;
  const ok = validate(JSON.parse(JSON.stringify(value)));
  expect(ok ? null : validate.errors).toBeNull();
}

// A rank-4 adapter on blk.1.attn_v (64 -> 32 with 2 KV heads of 16).
const lora = {
  rank: 4,
  a: Float32Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i * 1.3) * 0.4),
  b: Float32Array.from({ length: 32 * 4 }, (_, i) => Math.cos(i * 0.7) * 0.4),
};

let dir: string;
let manager: EngineManager;
let main: OpenAI;
const user = (content: string) => [{ role: "user" as const, content }];

function clientFor(id: string): OpenAI {
  return new OpenAI({ baseURL: manager.get(id)!.baseUrl, apiKey: "unused", maxRetries: 0 });
}

async function health(id: string): Promise<{ active: number; queued: number; chat_wrapper: string }> {
  const res = await fetch(manager.get(id)!.baseUrl!.replace(/\/v1$/, "/health"));
  return (await res.json()) as { active: number; queued: number; chat_wrapper: string };
}

async function completionTokens(id: string): Promise<number> {
  const text = await (await fetch(manager.get(id)!.baseUrl!.replace(/\/v1$/, "/metrics"))).text();
  return Number(/^kindling_engine_completion_tokens_total (\S+)$/m.exec(text)![1]);
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a long stream and resolves once its first content arrived. */
async function startLongStream(client: OpenAI, signal: AbortSignal) {
  const stream = await client.chat.completions.create(
    { model: "slow", messages: user("go on"), max_tokens: 4000, stream: true, seed: 1 },
    { signal },
  );
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) throw new Error("stream ended early");
    if (value.choices[0]?.delta.content) return iterator;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kindling-engine-"));
  await writeTestModel(join(dir, "tiny.gguf"), { seed: 7 });
  await writeQwen2TestModel(join(dir, "qwen.gguf"));
  await writeLoraAdapterGguf(join(dir, "tiny-lora.gguf"), { alpha: 16, tensors: new Map([["blk.1.attn_v.weight", lora]]) });
  // Slower (dim 256) so a 4000-token stream is still running when the tests act on it.
  await writeTestModel(join(dir, "slow.gguf"), { seed: 8, embeddingLength: 256, blockCount: 4, headCount: 8, contextLength: 4096 });
  manager = new EngineManager({ restartBackoffMs: 200, healthIntervalMs: 500, healthTimeoutMs: 3000 });
  await Promise.all([
    manager.start({ id: "main", modelPath: join(dir, "tiny.gguf"), parallel: 4, queue: 16 }),
    manager.start({ id: "single", modelPath: join(dir, "slow.gguf"), parallel: 1, queue: 1 }),
    manager.start({ id: "qwen", modelPath: join(dir, "qwen.gguf") }),
    manager.start({ id: "lora", modelPath: join(dir, "tiny.gguf"), modelId: "tiny", loras: [{ path: join(dir, "tiny-lora.gguf"), scale: 0.5 }] }),
  ]);
  main = clientFor("main");
}, 90_000);

afterAll(async () => {
  await manager?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("OpenAI API", () => {
  it("lists the served model", async () => {
    const list = await main.models.list();
    expect(list.data.map((m) => m.id)).toEqual(["tiny"]);
    expectSchema("ListModelsResponse", await (await fetch(`${manager.get("main")!.baseUrl}/models`)).json());
  });

  it("answers a plain chat completion, with usage counted by the model's tokenizer", async () => {
    const res = await main.chat.completions.create({ model: "tiny", messages: user("Hello"), max_tokens: 12, seed: 3 });
    expectSchema("CreateChatCompletionResponse", res);
    expect(res.choices[0].message.content).toHaveLength(12);
    expect(res.choices[0].finish_reason).toBe("length");
    // <|user|> + 5 bytes + <|end|> + <|assistant|>
    expect(res.usage).toEqual({ prompt_tokens: 8, completion_tokens: 12, total_tokens: 20 });
  });

  it("streams the same text as the non-streamed answer, with OpenAI chunks and a usage chunk", async () => {
    const params = { model: "tiny", messages: user("Stream me"), max_tokens: 15, seed: 9, temperature: 0.9 };
    const whole = await main.chat.completions.create(params);
    const stream = await main.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    let text = "";
    const chunks = [];
    for await (const chunk of stream) {
      expectSchema("CreateChatCompletionStreamResponse", chunk);
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(text).toBe(whole.choices[0].message.content);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("length");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual(whole.usage);
  });

  it("answers JSON that validates against the requested schema", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string", enum: ["Paris", "Rome", "Oslo"] }, sunny: { type: "boolean" } },
      required: ["city", "sunny"],
      additionalProperties: false,
    };
    for (const seed of [1, 2, 3]) {
      const res = await main.chat.completions.create({
        model: "tiny",
        messages: user("Weather as JSON"),
        seed,
        max_tokens: 300,
        response_format: { type: "json_schema", json_schema: { name: "weather", schema } },
      });
      expectSchema("CreateChatCompletionResponse", res);
      expect(res.choices[0].finish_reason).toBe("stop");
      const value = JSON.parse(res.choices[0].message.content!);
      expect(ajv.validate(schema, value)).toBe(true);
    }
  });

  it("answers a JSON object when asked for json_object", async () => {
    // A random model may write one endless string; the grammar still ends every finished answer as JSON.
    const answers = await Promise.all(
      [1, 2, 3, 4].map((seed) =>
        main.chat.completions.create({ model: "tiny", messages: user("JSON please"), seed, max_tokens: 200, response_format: { type: "json_object" } }),
      ),
    );
    const finished = answers.filter((a) => a.choices[0].finish_reason === "stop");
    expect(finished.length).toBeGreaterThan(0);
    for (const a of finished) expect(JSON.parse(a.choices[0].message.content!)).toBeTypeOf("object");
  });

  it("calls a tool in OpenAI's shape, and accepts the tool result back", async () => {
    const tools = [
      { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Rome"] } }, required: ["city"] } } },
      { type: "function" as const, function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string", enum: ["UTC", "CET"] } }, required: ["zone"] } } },
    ];
    const res = await main.chat.completions.create({
      model: "tiny",
      messages: user("What time is it?"),
      tools,
      tool_choice: { type: "function", function: { name: "get_time" } },
      seed: 4,
      max_tokens: 400,
    });
    expectSchema("CreateChatCompletionResponse", res);
    const choice = res.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0];
    expect(call.type).toBe("function");
    if (call.type !== "function") return;
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe("get_time");
    expect(["UTC", "CET"]).toContain(JSON.parse(call.function.arguments).zone);

    const followUp = await main.chat.completions.create({
      model: "tiny",
      messages: [...user("What time is it?"), choice.message, { role: "tool", tool_call_id: call.id, content: "12:00" }],
      max_tokens: 5,
    });
    expect(followUp.choices[0].message.content).toHaveLength(5);
    expect(followUp.usage!.prompt_tokens).toBeGreaterThan(res.usage!.prompt_tokens - 300);
  });

  it("gives the same text for the same seed, and another for another seed", async () => {
    const ask = (seed: number) => main.chat.completions.create({ model: "tiny", messages: user("Seeded"), max_tokens: 30, temperature: 1, seed });
    const [a, b, c] = await Promise.all([ask(42), ask(42), ask(43)]);
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
    expect(a.choices[0].message.content).not.toBe(c.choices[0].message.content);
  });

  it("honours stop and max_tokens", async () => {
    const base = { model: "tiny", messages: user("Stop test"), temperature: 0 };
    const full = (await main.chat.completions.create({ ...base, max_tokens: 40 })).choices[0].message.content!;
    const stop = full.slice(10, 12);
    const stopped = await main.chat.completions.create({ ...base, max_tokens: 40, stop: [stop] });
    expect(stopped.choices[0].message.content).toBe(full.slice(0, full.indexOf(stop)));
    expect(stopped.choices[0].finish_reason).toBe("stop");
    // Streamed, a stop string split over several tokens is held back, never sent and then retracted.
    const stream = await main.chat.completions.create({ ...base, max_tokens: 40, stop: [stop], stream: true });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? "";
    expect(streamed).toBe(full.slice(0, full.indexOf(stop)));
    const short = await main.chat.completions.create({ ...base, max_completion_tokens: 7 });
    expect(short.choices[0].message.content).toBe(full.slice(0, 7));
    expect(short.usage!.completion_tokens).toBe(7);
    const completion = await main.completions.create({ model: "tiny", prompt: "Once upon", max_tokens: 6, temperature: 0 });
    expectSchema("CreateCompletionResponse", completion);
    expect(completion.choices[0].text).toHaveLength(6);
    expect(completion.usage).toEqual({ prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 });
  });

  it("answers bad requests with OpenAI errors naming the parameter", async () => {
    const attempt = async (body: Record<string, unknown>) => {
      const res = await fetch(`${manager.get("main")!.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "tiny", messages: user("x"), ...body }),
      });
      const json = await res.json();
      expectSchema("ErrorResponse", json);
      return { status: res.status, error: (json as { error: { param: string | null; code: string | null } }).error };
    };
    await expect(main.chat.completions.create({ model: "tiny", messages: user("x"), temperature: 3 })).rejects.toMatchObject({
      status: 400,
      param: "temperature",
    });
    expect(await attempt({ top_p: -1 })).toMatchObject({ status: 400, error: { param: "top_p" } });
    expect(await attempt({ messages: [{ role: "wizard", content: "x" }] })).toMatchObject({ status: 400, error: { param: "messages[0].role" } });
    expect(await attempt({ response_format: { type: "yaml" } })).toMatchObject({ status: 400, error: { param: "response_format.type" } });
    expect(await attempt({ model: "gpt-9" })).toMatchObject({ status: 404, error: { param: "model", code: "model_not_found" } });
    expect(await attempt({ messages: user("x".repeat(2000)) })).toMatchObject({
      status: 400,
      error: { param: "messages", code: "context_length_exceeded" },
    });
  });
});

describe("models", () => {
  it("computes what the reference forward pass computes, with and without a LoRA adapter", async () => {
    const { hparams, weights } = createTestModel({ seed: 7 });
    const prompt = [USER_ID, ...encodeText("Hello"), END_ID, ASSISTANT_ID];
    const merged = new Map(weights);
    const v = Float32Array.from(weights.get("blk.1.attn_v.weight")!);
    for (let o = 0; o < 32; o++)
      for (let i = 0; i < 64; i++)
        for (let r = 0; r < 4; r++) v[o * 64 + i] += 0.5 * (16 / 4) * lora.b[o * 4 + r] * lora.a[r * 64 + i];
    merged.set("blk.1.attn_v.weight", v);
    const ask = (client: OpenAI) =>
      client.chat.completions.create({ model: "tiny", messages: user("Hello"), max_tokens: 10, temperature: 0 }).then((r) => r.choices[0].message.content);
    const base = await ask(main);
    const adapted = await ask(clientFor("lora"));
    expect(base).toBe(decodeTokens(llamaGreedy(hparams, weights, prompt, 10)));
    expect(adapted).toBe(decodeTokens(llamaGreedy(hparams, merged, prompt, 10)));
    expect(adapted).not.toBe(base);
  });
});

describe("a downloaded-style model", () => {
  it("serves a Qwen2 GGUF (GPT-2 byte tokenizer, ChatML template) the same way", async () => {
    const qwen = clientFor("qwen");
    expect((await qwen.models.list()).data.map((m) => m.id)).toEqual(["qwen"]);
    // node-llama-cpp recognises the template as ChatML; Kindling's own models use their Jinja template.
    expect(await health("qwen")).toMatchObject({ status: "ok", context_size: 512, chat_wrapper: "ChatML" });
    expect(await health("main")).toMatchObject({ chat_wrapper: "JinjaTemplate" });
    const res = await qwen.chat.completions.create({ model: "qwen", messages: user("Hi"), max_tokens: 5, temperature: 0 });
    expectSchema("CreateChatCompletionResponse", res);
    expect(res.usage!.completion_tokens).toBe(5);
    // ChatML, one token per byte: <|im_start|> "user\nHi" <|im_end|> "\n" <|im_start|> "assistant\n"
    expect(res.usage!.prompt_tokens).toBeGreaterThanOrEqual(21);
    const json = await qwen.chat.completions.create({
      model: "qwen",
      messages: user("Hi"),
      max_tokens: 100,
      response_format: { type: "json_schema", json_schema: { name: "ok", schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } } },
    });
    expect(typeof JSON.parse(json.choices[0].message.content!).ok).toBe("boolean");
  });
});

describe("concurrency", () => {
  it("completes 8 concurrent streams", async () => {
    const run = async (i: number) => {
      const stream = await main.chat.completions.create({ model: "tiny", messages: user(`stream ${i}`), max_tokens: 20, seed: i, stream: true });
      let text = "";
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return { text, finish };
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => run(i)));
    for (const r of results) expect(r).toMatchObject({ finish: "length" });
    for (const r of results) expect(r.text).toHaveLength(20);
    expect(new Set(results.map((r) => r.text)).size).toBeGreaterThan(1);
  });

  it("lets the next queued request start as soon as a client aborts", async () => {
    const single = clientFor("single");
    const tokensBefore = await completionTokens("single");
    const abort = new AbortController();
    const long = await startLongStream(single, abort.signal);
    let firstTokenAt = 0;
    const queued = (async () => {
      const stream = await single.chat.completions.create({ model: "slow", messages: user("next"), max_tokens: 5, stream: true });
      let text = "";
      for await (const chunk of stream) {
        if (!firstTokenAt && chunk.choices[0]?.delta.content) firstTokenAt = Date.now();
        text += chunk.choices[0]?.delta.content ?? "";
      }
      return text;
    })();
    await waitFor(async () => (await health("single")).queued === 1, "the second request to queue");
    const abortedAt = Date.now();
    abort.abort();
    await long.next().catch(() => undefined);
    expect(await queued).toHaveLength(5);
    // The long stream had ~4000 tokens (over 20 s) to go: only the abort can have freed the sequence this fast.
    expect(firstTokenAt - abortedAt).toBeLessThan(5000);
    await waitFor(async () => (await health("single")).active === 0, "the sequence to be free");
    // And the aborted generation really stopped: far fewer than its 4000 tokens were generated.
    expect((await completionTokens("single")) - tokensBefore).toBeLessThan(2000);
  });

  it("answers 503 with Retry-After when the queue is full", async () => {
    const single = clientFor("single");
    const abort = new AbortController();
    await startLongStream(single, abort.signal);
    const queued = single.chat.completions.create({ model: "slow", messages: user("wait"), max_tokens: 2 }, { signal: abort.signal });
    queued.catch(() => {});
    await waitFor(async () => (await health("single")).queued === 1, "a queued request");
    const res = await fetch(`${manager.get("single")!.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "slow", messages: user("overflow"), max_tokens: 2 }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expectSchema("ErrorResponse", await res.json());
    abort.abort();
    await waitFor(async () => {
      const h = await health("single");
      return h.active === 0 && h.queued === 0;
    }, "the engine to be idle");
  });
});

describe("metrics", () => {
  it("counts requests by status, tokens and time to first token in Prometheus text", async () => {
    const res = await fetch(manager.get("single")!.baseUrl!.replace(/\/v1$/, "/metrics"));
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"=/.+]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value('kindling_engine_requests_total{endpoint="/v1/chat/completions",status="503"}')).toBe(1);
    // The aborted streams and the aborted queued request: client-closed, not server errors.
    expect(value('kindling_engine_requests_total{endpoint="/v1/chat/completions",status="499"}')).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(/status="500"/);
    expect(value("kindling_engine_time_to_first_token_seconds_count")).toBeGreaterThanOrEqual(3);
    expect(value("kindling_engine_completion_tokens_total")).toBeGreaterThan(5);
    expect(value("kindling_engine_queue_depth")).toBe(0);
    expect(value("kindling_engine_active_sequences")).toBe(0);
    expect(value("kindling_engine_parallel_sequences")).toBe(1);
  });
});

/** The next time engine `id` reports ready (after a restart). */
function nextReady(id: string): Promise<EngineInfo> {
  return new Promise<EngineInfo>((resolve) => {
    const onStatus = (info: EngineInfo) => {
      if (info.id === id && info.status === "ready") {
        manager.off("status", onStatus);
        resolve(info);
      }
    };
    manager.on("status", onStatus);
  });
}

describe("manager", () => {
  it("gives a clean error when the engine dies mid-stream, then restarts it", async () => {
    const before = manager.get("single")!;
    const single = clientFor("single");
    const stream = await startLongStream(single, new AbortController().signal);
    const restarted = nextReady("single");
    process.kill(before.pid!, "SIGKILL");
    const drained = (async () => {
      for (;;) if ((await stream.next()).done) return "ended";
    })();
    await expect(drained).rejects.toThrow();
    const after = await restarted;
    expect(after.restarts).toBe(1);
    expect(after.pid).not.toBe(before.pid);
    // What a deployment's events record: how the child ended, its last log lines, when it was ready again.
    expect(after.lastExit).toMatchObject({ code: null, signal: "SIGKILL" });
    expect(after.lastExit!.logTail.length).toBeLessThanOrEqual(40);
    expect(Date.parse(after.readyAt!)).toBeGreaterThan(Date.parse(after.lastExit!.at));
    expect(after.readyMs).toBeGreaterThan(0);
    const res = await clientFor("single").chat.completions.create({ model: "slow", messages: user("back?"), max_tokens: 3 });
    expect(res.choices[0].message.content).toHaveLength(3);
  });

  it("kills and restarts an engine that stops answering its health checks", async () => {
    const before = manager.get("single")!;
    const restarted = nextReady("single");
    // A stopped process keeps its port open but never answers: a hung engine.
    process.kill(before.pid!, "SIGSTOP");
    const after = await restarted;
    expect(after.pid).not.toBe(before.pid);
    expect(after.restarts).toBe(before.restarts + 1);
    const res = await clientFor("single").chat.completions.create({ model: "slow", messages: user("alive?"), max_tokens: 2 });
    expect(res.choices[0].message.content).toHaveLength(2);
  });

  it("runs replicas of one model under distinct ids, each with its own threads, parallel and context", async () => {
    const file = join(dir, "tiny.gguf");
    const [a, b] = await Promise.all([
      manager.start({ id: "tiny/replica-0", modelPath: file, modelId: "tiny", threads: 1, parallel: 2, ctx: 256 }),
      manager.start({ id: "tiny/replica-1", modelPath: file, modelId: "tiny", threads: 2, parallel: 1, ctx: 512 }),
    ]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.pid).not.toBe(b.pid);
      expect(a.readyMs).toBeGreaterThan(0);
      for (const [info, threads, parallel, ctx] of [[a, 1, 2, 256], [b, 2, 1, 512]] as const) {
        const h = (await (await fetch(info.baseUrl!.replace(/\/v1$/, "/health"))).json()) as { model: string; context_size: number; parallel: number };
        expect(h).toMatchObject({ model: "tiny", context_size: ctx, parallel });
        const argv = (await readFile(`/proc/${info.pid}/cmdline`, "utf8")).split("\0");
        expect(argv[argv.indexOf("--threads") + 1]).toBe(String(threads));
      }
      const answer = await clientFor("tiny/replica-1").chat.completions.create({ model: "tiny", messages: user("hi"), max_tokens: 2 });
      expect(answer.choices[0].message.content).toHaveLength(2);
      expect(manager.list().filter((e) => e.spec.modelPath === file && e.status === "ready").length).toBeGreaterThanOrEqual(3);
    } finally {
      await manager.remove("tiny/replica-0");
      await manager.remove("tiny/replica-1");
    }
    expect(manager.get("tiny/replica-0")).toBeUndefined();
  });

  it("reports a model that cannot load as failed, without restarting it", async () => {
    await writeFile(join(dir, "junk.gguf"), "this is not a model");
    await expect(manager.start({ id: "junk", modelPath: join(dir, "junk.gguf") })).rejects.toThrow();
    expect(manager.get("junk")).toMatchObject({ status: "failed", restarts: 0 });
    expect(manager.get("junk")!.error).toBeTruthy();

    // Without llama.attention.head_count llama.cpp aborts the process natively (lib/gguf/FORMAT.md, "Keys").
    const tiny = await readGguf(join(dir, "tiny.gguf"));
    const metadata = { ...tiny.metadata };
    delete metadata["llama.attention.head_count"];
    const tensors = await Promise.all(
      tiny.tensors.map(async (t) => ({ name: t.name, ne: t.ne, type: "F32" as const, data: await readTensorData(tiny, t) })),
    );
    await writeGguf(join(dir, "abort.gguf"), { metadata, tensors });
    await expect(manager.start({ id: "abort", modelPath: join(dir, "abort.gguf") })).rejects.toThrow(/SIGABRT|failed|error/i);
    await new Promise((r) => setTimeout(r, 500));
    expect(manager.get("abort")).toMatchObject({ status: "failed", restarts: 0 });
    const exit = manager.get("abort")!.lastExit!;
    expect(exit.signal !== null || (exit.code ?? 0) !== 0).toBe(true);
    expect(exit.logTail.length).toBeGreaterThan(0);
    // The other engines are unharmed.
    expect((await main.models.list()).data[0].id).toBe("tiny");
  });
});
