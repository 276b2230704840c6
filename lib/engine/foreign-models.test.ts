// The engine with models its own writer did not make: a random-weight Llama GGUF with a SentencePiece
// vocabulary of printable multi-character pieces and its own Jinja chat template (turns end in "\n\n",
// plain text), and the starter model. Constrained answers must be complete, within the schema's
// bounds, and never a 500, whatever the model would rather say.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeJinjaTestModel } from "./fixtures/jinja-test-model";
import { EngineManager } from "./manager";

const STARTER = join(process.cwd(), "assets", "starter", "kindling-starter.gguf");

let dir: string;
let manager: EngineManager;
let jinja: OpenAI;
let starter: OpenAI;
const ajv = new Ajv2020({ strict: false });

const place = {
  type: "object",
  properties: {
    city: { type: "string", maxLength: 12 },
    count: { type: "integer", minimum: 0, maximum: 99 },
    kind: { enum: ["town", "city", "village"] },
    code: { type: "string", pattern: "^[A-Z]{2}-[0-9]{3}$" },
  },
  required: ["city", "count", "kind", "code"],
  additionalProperties: false,
} as const;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kindling-foreign-"));
  await writeJinjaTestModel(join(dir, "jinja.gguf"));
  manager = new EngineManager({ healthIntervalMs: 0 });
  const [a, b] = await Promise.all([
    manager.start({ id: "jinja", modelPath: join(dir, "jinja.gguf"), parallel: 4 }),
    manager.start({ id: "starter", modelPath: STARTER, parallel: 2 }),
  ]);
  jinja = new OpenAI({ baseURL: a.baseUrl, apiKey: "unused", maxRetries: 0 });
  starter = new OpenAI({ baseURL: b.baseUrl, apiKey: "unused", maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await manager?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a model with a Jinja template and a multi-character vocabulary", () => {
  it("is served with the GGUF's own template", async () => {
    const health = (await (await fetch(manager.get("jinja")!.baseUrl!.replace(/\/v1$/, "/health"))).json()) as { chat_wrapper: string };
    expect(health.chat_wrapper).toMatch(/jinja/i);
    const res = await jinja.chat.completions.create({ model: "jinja", messages: [{ role: "user", content: "hello" }], max_tokens: 8, seed: 1 });
    expect(res.choices[0].message.content!.length).toBeGreaterThan(0);
  });

  it("answers json_schema with complete JSON within every bound, whatever the seed", async () => {
    const validate = ajv.compile(place);
    const seeds = Array.from({ length: 8 }, (_, i) => i + 1);
    const answers = await Promise.all(
      seeds.map((seed) =>
        jinja.chat.completions.create({
          model: "jinja",
          messages: [{ role: "user", content: "Describe a place as JSON." }],
          response_format: { type: "json_schema", json_schema: { name: "place", schema: place as never, strict: true } },
          temperature: 1.5,
          max_tokens: 400,
          seed,
        }),
      ),
    );
    for (const [i, res] of answers.entries()) {
      const choice = res.choices[0];
      expect(choice.finish_reason, `seed ${seeds[i]}: ${choice.message.content}`).toBe("stop");
      const value = JSON.parse(choice.message.content!) as { count: number };
      expect(validate(value) ? null : validate.errors, choice.message.content!).toBeNull();
    }
  }, 180_000);

  it("calls a tool with complete arguments", async () => {
    const res = await jinja.chat.completions.create({
      model: "jinja",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string", maxLength: 10 }, days: { type: "integer", minimum: 1, maximum: 7 } }, required: ["city", "days"] },
          },
        },
      ],
      tool_choice: "required",
      parallel_tool_calls: false,
      temperature: 1.2,
      max_tokens: 400,
      seed: 4,
    });
    expect(res.choices[0].finish_reason).toBe("tool_calls");
    const call = res.choices[0].message.tool_calls![0];
    expect(call.type).toBe("function");
    const args = JSON.parse((call as { function: { arguments: string } }).function.arguments) as { city: string; days: number };
    expect(args.city.length).toBeLessThanOrEqual(10);
    expect(args.days).toBeGreaterThanOrEqual(1);
    expect(args.days).toBeLessThanOrEqual(7);
  }, 120_000);

  it("answers 200 with finish_reason length when max_tokens cuts a structured answer", async () => {
    const request = {
      model: "jinja",
      messages: [{ role: "user" as const, content: "Describe a place as JSON." }],
      response_format: { type: "json_schema" as const, json_schema: { name: "place", schema: place as never } },
      max_tokens: 3,
      seed: 2,
    };
    const res = await jinja.chat.completions.create(request);
    expect(res.choices[0].finish_reason).toBe("length");
    expect(res.usage!.completion_tokens).toBe(3);
    const stream = await jinja.chat.completions.create({ ...request, stream: true });
    let finish: string | null = null;
    for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe("length");
  });

  it("refuses a keyword it cannot enforce with a 400 naming it, before generating", async () => {
    const error = await jinja.chat.completions
      .create({
        model: "jinja",
        messages: [{ role: "user", content: "hi" }],
        response_format: { type: "json_schema", json_schema: { name: "n", schema: { type: "object", properties: { n: { type: "integer", multipleOf: 5 } } } } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const e = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.param).toBe("response_format.json_schema.schema");
    expect(e.code).toBe("unsupported_schema_keyword");
    expect(e.message).toContain('"multipleOf" at #/properties/n');
  });
});

describe("the starter model", () => {
  it("keeps count within maximum 99 even for a sum above it", async () => {
    const schema = { type: "object", properties: { count: { type: "integer", minimum: 0, maximum: 99 } }, required: ["count"], additionalProperties: false };
    const answers = await Promise.all(
      [0, 1, 2, 3].map((seed) =>
        starter.chat.completions.create({
          model: "kindling-starter",
          messages: [{ role: "user", content: "What is 60 + 60? Answer as JSON with the count." }],
          response_format: { type: "json_schema", json_schema: { name: "count", schema } },
          temperature: seed === 0 ? 0 : 1,
          max_tokens: 64,
          seed,
        }),
      ),
    );
    for (const res of answers) {
      expect(res.choices[0].finish_reason, res.choices[0].message.content!).toBe("stop");
      const { count } = JSON.parse(res.choices[0].message.content!) as { count: number };
      expect(Number.isInteger(count)).toBe(true);
      expect(count).toBeGreaterThanOrEqual(0);
      expect(count).toBeLessThanOrEqual(99);
    }
  }, 120_000);
});
