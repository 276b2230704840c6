// A fine-tuning job through the real queue, runner, trainer child process and engine, on a copy of
// the starter model and a slice of the sample dataset.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { models } from "@/db/schema";
import { createDataset } from "@/lib/datasets/datasets";
import { getJob } from "@/lib/jobs/queue";
import { JobRunner } from "@/lib/jobs/runner";
import { stopAllEngines } from "@/lib/engine/supervisor";
import { ensureLocalProvider } from "@/lib/providers/local";
import { resolveModelTarget } from "@/lib/providers/resolve";
import { appErrorOf } from "@/lib/testing/app-error";
import { listBaseModels } from "./bases";
import { createFineTuningHandler } from "./handler";
import { cancelFineTuningJob, createFineTuningJob, estimateFineTuningJob, getFineTuningJobDetail } from "./jobs";
import { toOpenAiJob } from "./openai-api";
import { FINE_TUNING_JOB_KIND, defaultHyperparameters, type FineTuningSpec } from "./schemas";

const STARTER = path.resolve("assets/starter/kindling-starter.gguf");
const SAMPLE = path.resolve("assets/starter/finetune-csv.train.jsonl");
let handle: TestDatabase;
let dir: string;
const savedDataDir = process.env.KINDLING_DATA_DIR;

async function* bytes(s: string) {
  yield new TextEncoder().encode(s);
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "kindling-ft-"));
  process.env.KINDLING_DATA_DIR = dir;
  await mkdir(path.join(dir, "models"), { recursive: true });
  await copyFile(STARTER, path.join(dir, "models", "kindling-starter.gguf"));
  await writeFile(path.join(dir, "models", "broken.gguf"), "this is not a GGUF file");
  await ensureLocalProvider(handle.db);
}, 180_000);
afterAll(async () => {
  await stopAllEngines();
  await handle?.close();
  if (savedDataDir === undefined) delete process.env.KINDLING_DATA_DIR;
  else process.env.KINDLING_DATA_DIR = savedDataDir;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A job on a copy of the starter, with the first `lines` of the sample as its dataset (`validationPercent` held out). */
async function starterSpec(lines: number, validationPercent: number, rest: Omit<FineTuningSpec, "baseModel" | "datasetId">): Promise<FineTuningSpec> {
  const text = (await readFile(SAMPLE, "utf8")).trim().split("\n").slice(0, lines).join("\n");
  const ds = await createDataset(handle.db, bytes(text), { name: `csv ${lines}`, format: "jsonl", contextLength: 256, validationPercent, createdBy: null });
  if (!ds.ok) throw new Error("dataset refused");
  return { baseModel: "kindling-starter", datasetId: ds.dataset.id, ...rest };
}

/** The queue's runner with the fine-tuning handler, started; stop it in a finally. */
function startRunner(): JobRunner {
  const runner = new JobRunner({ getDb: async () => handle.db, pollMs: 100 });
  runner.register(FINE_TUNING_JOB_KIND, createFineTuningHandler(), { leaseMs: 30_000 });
  runner.start();
  return runner;
}

describe(`fine-tuning jobs on ${process.env.KINDLING_TEST_DB}`, () => {
  it("lists the starter as trainable and says why a broken file is not", async () => {
    const bases = await listBaseModels();
    expect(bases.find((b) => b.name === "kindling-starter")).toMatchObject({ trainable: true, contextLength: 256, recommended: { method: "full" } });
    expect(bases.find((b) => b.name === "broken")).toMatchObject({ trainable: false, reason: expect.stringMatching(/cannot be read/) });
  });

  it("runs a job through the queue: loss points and checkpoints stored, the model registered and scored against its base", async () => {
    const spec = await starterSpec(100, 10, {
      validation: { kind: "split" },
      method: "full",
      hyperparameters: { ...defaultHyperparameters("full"), epochs: 2, batchSize: 4, learningRate: 3e-3 },
      suffix: "csv",
    });

    expect((await appErrorOf(createFineTuningJob(handle.db, { ...spec, baseModel: "broken" }, null), "VALIDATION")).message).toMatch(/cannot fine-tune broken/);
    expect((await appErrorOf(createFineTuningJob(handle.db, { ...spec, hyperparameters: { ...spec.hyperparameters, maxLength: 16 } }, null), "VALIDATION")).fieldErrors).toHaveProperty(["hyperparameters.maxLength"]);
    const estimate = await estimateFineTuningJob(handle.db, spec);
    expect(estimate).toMatchObject({ basis: "default", costUsd: 0 });
    expect(estimate.totalTokens).toBeGreaterThan(3000);

    const job = await createFineTuningJob(handle.db, spec, null);
    expect(job).toMatchObject({ status: "queued", fineTunedModel: expect.stringMatching(/^ft-kindling-starter-csv-/) });
    const queuedToo = await createFineTuningJob(handle.db, spec, null);

    const runner = startRunner();
    try {
      // One at a time: the second job waits in the queue while the first runs; cancel it there.
      await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "running", 30_000);
      expect((await getJob(handle.db, queuedToo.id))?.status).toBe("queued");
      expect((await cancelFineTuningJob(handle.db, queuedToo.id)).status).toBe("cancelled");
      expect((await appErrorOf(cancelFineTuningJob(handle.db, queuedToo.id), "CONFLICT")).message).toMatch(/already been cancelled/);

      await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "succeeded" || j?.status === "failed", 900_000);
      const detail = await getFineTuningJobDetail(handle.db, job.id);
      expect(detail.job.error).toBeNull();
      expect(detail.job.status).toBe("succeeded");
      const total = detail.job.progress!.totalSteps;
      // The estimate counted the steps the trainer took.
      expect(total).toBe(estimate.steps);
      expect(detail.points.map((p) => p.step)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(detail.points.at(-1)!.trainLoss).toBeLessThan(detail.points[0].trainLoss);
      expect(detail.checkpoints.length).toBeGreaterThan(0);
      const result = detail.job.result!;
      expect(result).toMatchObject({ registered: true, fineTunedModel: job.fineTunedModel });
      expect((await stat(path.join(dir, "models", `${job.fineTunedModel}.gguf`))).size).toBeGreaterThan(1_000_000);
      const [row] = await handle.db.select().from(models).where(eq(models.name, job.fineTunedModel));
      expect(row).toBeDefined();
      // Scored by llama.cpp on the held-out split (the exact-match gain on the full sample is in bench/fine-tune).
      expect(result.evaluation!.examples).toBe(10);
      expect(result.evaluation!.before.exactMatch).toBe(0);
      expect(result.evaluation!.samples[0].expected).toMatch(/^[A-Z][a-z]+,[A-Za-z ]+,\d+$/);
      expect(detail.points.at(-1)!.valLoss!).toBeLessThan(detail.points[0].valLoss!);
      expect(detail.events.map((e) => e.message)).toEqual(expect.arrayContaining(["Queued", "Started", "Succeeded"]));
      expect((await estimateFineTuningJob(handle.db, spec)).basis).toBe("measured");
    } finally {
      await runner.stop();
    }
  }, 1_000_000);
  it("registers a LoRA job's adapter on its base: a model that answers through the local engine", async () => {
    const spec = await starterSpec(40, 0, {
      validation: { kind: "none" },
      method: "lora",
      hyperparameters: { ...defaultHyperparameters("lora"), epochs: 1, batchSize: 4 },
      suffix: "lora",
    });
    const job = await createFineTuningJob(handle.db, spec, null);
    const runner = startRunner();
    try {
      await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "succeeded" || j?.status === "failed", 900_000);
    } finally {
      await runner.stop();
    }
    const detail = await getFineTuningJobDetail(handle.db, job.id);
    expect(detail.job.error).toBeNull();
    const name = job.fineTunedModel;
    expect(detail.job.result).toMatchObject({ registered: true, fineTunedModel: name, outputFile: path.join(dir, "models", `${name}.gguf`) });
    expect(toOpenAiJob(detail.job).fine_tuned_model).toBe(name);
    // The adapter (small: rank 8 on a 2 MB base) beside a sidecar naming its base.
    expect((await stat(path.join(dir, "models", `${name}.gguf`))).size).toBeLessThan(500_000);
    expect(JSON.parse(await readFile(path.join(dir, "models", `${name}.lora.json`), "utf8"))).toEqual({ base: "kindling-starter", scale: 1 });
    const [row] = await handle.db.select().from(models).where(eq(models.name, name));
    expect(row.contextLength).toBe(256);
    expect(detail.events.map((e) => e.message)).toContain(`Registered ${name} with the local engine: kindling-starter with this LoRA adapter`);

    // Served as the starter with the adapter: the engine names the fine-tuned model.
    const target = await resolveModelTarget(handle.db, row.id);
    const res = await fetch(`${target.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: name, messages: [{ role: "user", content: "Extract the name, city and age as CSV: Amara is 43 and lives in Berlin." }], max_tokens: 12, temperature: 0 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; choices: { message: { content: string } }[] };
    expect(body.model).toBe(name);
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
  }, 1_000_000);
});
