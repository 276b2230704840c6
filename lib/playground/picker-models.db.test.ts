// The playground's model picker on a real database (PGlite and PostgreSQL): deployments and their
// adapters listed as models through the deployment resolver the console registers, in their own group
// between local and remote models, with the base's context length and the deployment's state.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployments, models, providers } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { createDeployment, setDeploymentPaused } from "@/lib/deployments/deployments";
import { LocalDriver } from "@/lib/deployments/drivers/local";
import { Reconciler } from "@/lib/deployments/reconciler";
import { registerDeploymentResolver } from "@/lib/deployments/resolver";
import { createDeploymentSchema } from "@/lib/deployments/schemas";
import { EngineManager } from "@/lib/engine/manager";
import { writeLoraAdapterGguf } from "@/lib/gguf/llama";
import { writeTestModel } from "@/lib/gguf/test-model";
import { listPublicModels } from "@/lib/inference/resolve";
import { initLocalProvider } from "@/lib/providers/local";
import { getPlaygroundEndpoint } from "./endpoint";
import { pickDefaultModel } from "./panels";
import { listPlaygroundModels } from "./picker-models";

const env = { ...process.env };
let handle: TestDatabase;
let ctx: { db: TestDatabase["db"]; modelsDir: string };
let dir: string;
let engines: EngineManager;
let driver: LocalDriver;
let unregister: () => void;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kindling-picker-"));
  process.env.KINDLING_DATA_DIR = dir;
  const modelsDir = path.join(dir, "models");
  await mkdir(modelsDir);
  await writeTestModel(path.join(modelsDir, "base.gguf"), { embeddingLength: 64, blockCount: 1 });
  const lora = { a: new Float32Array(2 * 64).fill(0.01), b: new Float32Array(64 * 2).fill(0.01), rank: 2 };
  await writeLoraAdapterGguf(path.join(modelsDir, "fr.gguf"), { alpha: 2, tensors: new Map([["blk.0.attn_q.weight", lora]]) });
  await writeLoraAdapterGguf(path.join(modelsDir, "de.gguf"), { alpha: 2, tensors: new Map([["blk.0.attn_q.weight", lora]]) });
  handle = await openTestDatabase();
  ctx = { db: handle.db, modelsDir };
  await initLocalProvider(ctx.db, { dir: modelsDir, starter: path.join(dir, "no-starter.gguf") });
  await ctx.db.update(models).set({ contextLength: 4096 }).where(eq(models.name, "base"));
  await ctx.db.insert(providers).values({ id: "remote-test", name: "Acme AI", kind: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" });
  await ctx.db.insert(models).values({ id: "remote-test-model", providerId: "remote-test", name: "acme-large", contextLength: 128_000 });
  // The resolver the console registers; the reconciler is not started, so no replica runs.
  engines = new EngineManager({ healthIntervalMs: 0 });
  driver = new LocalDriver(engines);
  unregister = registerDeploymentResolver(new Reconciler(ctx.db, driver, { modelsDir }));
  // Opening and migrating PGlite can take a minute on the shared 2-core machine.
}, 300_000);

afterAll(async () => {
  unregister?.();
  driver?.dispose();
  await engines?.dispose();
  await handle?.close();
  process.env = env;
  await rm(dir, { recursive: true, force: true });
});

describe(`the playground's model picker on ${process.env.KINDLING_TEST_DB}`, () => {
  it("lists each deployment and each of its adapters as a model, in their own group, with its state", async () => {
    const [base] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "base"));
    const parse = createDeploymentSchema.parse;
    await createDeployment(ctx, null, parse({ name: "support-bot", modelId: base.id, minReplicas: 0, maxReplicas: 1, adapters: [{ name: "fr", file: "fr" }, { name: "de", file: "de" }] }));
    await createDeployment(ctx, null, parse({ name: "paused-bot", modelId: base.id, engine: { threads: 1, parallel: 2, contextSize: 1024 }, failoverModelId: "remote-test-model" }));
    await setDeploymentPaused(ctx, null, "paused-bot", true);
    await createDeployment(ctx, null, parse({ name: "warming-bot", modelId: base.id }));

    const list = await listPlaygroundModels(ctx.db);
    // Local models, then deployments, then remote providers.
    expect(list.map((m) => [m.providerName, m.displayName])).toEqual([
      ["Local engine", "base"],
      ["Deployments", "paused-bot"],
      ["Deployments", "support-bot"],
      ["Deployments", "support-bot:fr"],
      ["Deployments", "support-bot:de"],
      ["Deployments", "warming-bot"],
      ["Acme AI", "acme-large"],
    ]);
    const byId = new Map(list.map((m) => [m.id, m]));
    // The id is what a chat call sends as `model`; the context is the base's unless the engine sets one.
    expect(byId.get("support-bot:fr")).toMatchObject({
      name: "support-bot:fr",
      providerKind: "deployment",
      contextLength: 4096,
      price: null,
      status: "scaled to zero",
      note: "support-bot is scaled to zero: the first message starts a replica (a cold start) and waits for it.",
    });
    expect(byId.get("paused-bot")).toMatchObject({ contextLength: 1024, status: "paused", note: "paused-bot is paused: answers come from its failover model, acme-large." });
    expect(byId.get("warming-bot")).toMatchObject({ contextLength: 4096, status: "starting" });
    expect(list.find((m) => m.providerKind === "local")).toMatchObject({ status: null, note: null });

    // A new playground still starts on a catalogue model, and the gateway lists the same names.
    expect(pickDefaultModel(list)?.displayName).toBe("base");
    expect((await listPublicModels(ctx.db)).map((m) => m.id)).toEqual(expect.arrayContaining(["support-bot", "support-bot:fr", "support-bot:de", "paused-bot", "warming-bot"]));
  });

  it("gives View code the deployment's name as the gateway model, without waking or failing over", async () => {
    const [base] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "base"));
    await createDeployment(ctx, null, createDeploymentSchema.parse({ name: "code-bot", modelId: base.id, minReplicas: 0, adapters: [{ name: "fr", file: "fr" }], failoverModelId: "remote-test-model" }));
    await createDeployment(ctx, null, createDeploymentSchema.parse({ name: "stopped-bot", modelId: base.id }));
    await setDeploymentPaused(ctx, null, "stopped-bot", true);
    expect(await getPlaygroundEndpoint(ctx.db, "code-bot:fr")).toMatchObject({ model: "code-bot:fr", providerName: "Deployments", providerKind: "deployment", providerBaseUrl: null });
    // Paused without a failover it would not answer; its code still names it (not a 503 or the failover).
    expect(await getPlaygroundEndpoint(ctx.db, "stopped-bot")).toMatchObject({ model: "stopped-bot", providerKind: "deployment" });
    const [row] = await ctx.db.select({ desired: deployments.desiredReplicas }).from(deployments).where(eq(deployments.name, "code-bot"));
    expect(row.desired).toBe(0);
  });
});
