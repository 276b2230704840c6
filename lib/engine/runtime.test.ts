// The engine's server and runtime in-process, for what is easier to see from inside: the tokens a
// model really evaluates.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BOS_ID, USER_ID } from "@/lib/gguf/kindling-vocab";
import { writeTestModel } from "@/lib/gguf/test-model";
import { parseEngineArgs } from "./args";
import { EngineRuntime } from "./runtime";
import { startEngineServer, type EngineServer } from "./server";

let dir: string;
let runtime: EngineRuntime;
let server: EngineServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kindling-runtime-"));
  await writeTestModel(join(dir, "bos.gguf"), { seed: 2, addBos: true });
  runtime = await EngineRuntime.load(parseEngineArgs(["--model", join(dir, "bos.gguf"), "--port", "0", "--ctx", "256"]));
  server = await startEngineServer(runtime, { host: "127.0.0.1", port: 0 });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await runtime?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("gives a model that wants BOS exactly one, and counts it in usage", async () => {
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: "unused", maxRetries: 0 });
  const res = await client.chat.completions.create({ model: "bos", messages: [{ role: "user", content: "Hi" }], max_tokens: 3 });
  // <s> <|user|> H i <|end|> <|assistant|>
  expect(res.usage!.prompt_tokens).toBe(6);
  const slot = await runtime.acquire(new AbortController().signal);
  try {
    expect(slot.sequence.contextTokens.slice(0, 3)).toEqual([BOS_ID, USER_ID, 3 + "H".charCodeAt(0)]);
  } finally {
    runtime.release(slot);
  }
  const completion = await client.completions.create({ model: "bos", prompt: "abc", max_tokens: 2 });
  expect(completion.usage!.prompt_tokens).toBe(4);
});
