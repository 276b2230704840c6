// The reconciler under load, with requests through the one inference door (prepareChatCall and the
// deployment resolver, as the gateway sends them) to real engine processes: 16 concurrent streams
// scale a deployment 1 -> 2 and back, and a settings change rolls under a light load with no failure.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models, usageEvents } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { EngineManager } from "@/lib/engine/manager";
import { writeTestModel } from "@/lib/gguf/test-model";
import { prepareChatCall } from "@/lib/inference/call";
import { UsageQueue } from "@/lib/metering/usage-queue";
import { processSingleton } from "@/lib/process-singleton";
import { initLocalProvider } from "@/lib/providers/local";
import { createDeployment, getDeployment, listDeploymentEvents, updateDeployment } from "./deployments";
import { LocalDriver } from "./drivers/local";
import { Reconciler } from "./reconciler";
import { registerDeploymentResolver } from "./resolver";
import { createDeploymentSchema } from "./schemas";
import { until } from "@/lib/testing/until";

let handle: TestDatabase;
let dir: string;
let ctx: { db: TestDatabase["db"]; modelsDir: string };
let engines: EngineManager;
let usage: UsageQueue;
let baseId: string;
let n = 0;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${n++}`;


/** One streamed chat through the inference door; resolves to the failure's message, or null when it answered. */
async function streamOnce(model: string, maxTokens: number): Promise<string | null> {
  try {
    const call = await prepareChatCall(ctx.db, {
      model,
      messages: [{ role: "user", content: "count the waves" }],
      params: { max_tokens: maxTokens, temperature: 0 },
      meter: { source: "test", userId: null },
    });
    let done = false;
    for await (const e of call.stream()) if (e.type === "done") done = e.result.outputTokens === maxTokens;
    return done ? null : "the stream ended before max_tokens";
  } catch (error) {
    return (error as Error).message;
  }
}

/** `workers` loops sending one request after another until `keepGoing()` says stop. */
function load(model: string, workers: number, maxTokens: number, keepGoing: () => boolean) {
  const failures: string[] = [];
  let sent = 0;
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (keepGoing()) {
        sent++;
        const failure = await streamOnce(model, maxTokens);
        if (failure) failures.push(failure);
      }
    }),
  ).then(() => ({ sent, failures }));
  return done;
}

async function usageOf(name: string) {
  await usage.flush();
  return ctx.db.select({ status: usageEvents.status, replicaId: usageEvents.replicaId }).from(usageEvents).where(and(eq(usageEvents.deployment, name)));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kindling-reconciler-load-"));
  // No end token: every answer runs to max_tokens, so a request lasts long enough to be counted.
  await writeTestModel(path.join(dir, "tiny.gguf"), { embeddingLength: 32, blockCount: 1, allowEnd: false, contextLength: 1024 });
  handle = await openTestDatabase();
  ctx = { db: handle.db, modelsDir: dir };
  // The usage rows of these calls go to this test's database (the queue is the process's one).
  usage = processSingleton("kindling.usage-queue", () => new UsageQueue(async () => handle.db));
  await initLocalProvider(ctx.db, { dir, starter: path.join(dir, "none.gguf") });
  [{ id: baseId }] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "tiny"));
  engines = new EngineManager({ restartBackoffMs: 200, healthIntervalMs: 0 });
}, 300_000);

afterAll(async () => {
  await usage?.flush().catch(() => {});
  await engines?.dispose();
  await handle?.close();
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe("reconciler under load", { timeout: 900_000 }, () => {
  it("scales 1 -> 2 under 16 concurrent streams and back to 1 after, saying why each time", async () => {
    const name = unique("auto");
    await createDeployment(
      ctx,
      null,
      createDeploymentSchema.parse({ name, modelId: baseId, minReplicas: 1, maxReplicas: 2, targetConcurrency: 4, scaleUpWindowS: 3, scaleDownWindowS: 6, engine: { parallel: 4 } }),
    );
    const rec = new Reconciler(ctx.db, new LocalDriver(engines), { tickMs: 150, sampleMs: 500, drainTimeoutMs: 10_000, modelsDir: dir });
    const unregister = registerDeploymentResolver(rec);
    await rec.start();
    try {
      await until("one ready replica", async () => (await getDeployment(ctx, name)).readyReplicas === 1);
      // 16 streams for at least 30 s, and until the second replica has served for 3 s (it may take
      // long to load on a busy machine); bounded at 4 minutes either way.
      const started = Date.now();
      let secondServingSince: number | null = null;
      const watch = setInterval(() => {
        const serving = rec.replicasOf(name).filter((r) => r.state === "ready");
        if (serving.length === 2 && secondServingSince === null) secondServingSince = Date.now();
      }, 200);
      const loaded = await load(name, 16, 48, () => {
        const t = Date.now();
        if (t - started > 240_000) return false;
        return t - started < 30_000 || secondServingSince === null || t - secondServingSince < 3_000;
      });
      clearInterval(watch);
      expect(loaded.failures).toEqual([]);
      expect(secondServingSince, "the second replica was never ready under load").not.toBeNull();

      const up = (await listDeploymentEvents(ctx, name)).find((e) => e.kind === "scaled");
      expect(up?.message).toMatch(/^Scaled 1 → 2: concurrency \d+(\.\d)? > target 4 × 1 for 3 s\.$/);
      expect(Number(/concurrency (\S+) >/.exec(up!.message)![1])).toBeGreaterThan(4);
      const rows = await usageOf(name);
      expect(rows).toHaveLength(loaded.sent);
      expect(rows.every((r) => r.status === "ok")).toBe(true);
      expect(new Set(rows.map((r) => r.replicaId)).size).toBe(2);

      // After the load: back to the minimum once the down window has seen nothing.
      const down = await until("scaled back to 1", async () => {
        const d = await getDeployment(ctx, name);
        const events = await listDeploymentEvents(ctx, name);
        const e = events.find((x) => x.kind === "scaled" && x.message.startsWith("Scaled 2 → 1"));
        return d.desiredReplicas === 1 && rec.replicasOf(name).length === 1 && e;
      }, 120_000);
      // The window starts with the sample held at its start, which may catch the load's last streams.
      expect(down.message).toMatch(/^Scaled 2 → 1: concurrency at most \d+(\.\d)? ≤ target 4 × 1 for 6 s\.$/);
      expect(Number(/at most (\S+) ≤/.exec(down.message)![1])).toBeLessThanOrEqual(4);
      await rec.flushWrites();
      expect((await listDeploymentEvents(ctx, name)).some((e) => e.kind === "replica_stopped" && e.message.includes("scaled to 1"))).toBe(true);
    } finally {
      unregister();
      await rec.stop();
    }
  });

  it("rolls a settings change with zero failed requests under a light load", async () => {
    const name = unique("roll");
    await createDeployment(ctx, null, createDeploymentSchema.parse({ name, modelId: baseId, minReplicas: 2, maxReplicas: 2, engine: { parallel: 2 } }));
    const rec = new Reconciler(ctx.db, new LocalDriver(engines), { tickMs: 150, sampleMs: 500, drainTimeoutMs: 10_000, modelsDir: dir });
    const unregister = registerDeploymentResolver(rec);
    await rec.start();
    try {
      const before = await until("two ready replicas", async () => {
        const d = await getDeployment(ctx, name);
        return d.readyReplicas === 2 && d;
      });
      let rolling = true;
      const light = load(name, 3, 16, () => rolling);
      await new Promise((r) => setTimeout(r, 500));
      await updateDeployment(ctx, null, { name, engine: { threads: 1, parallel: 3, contextSize: null } });
      await until("rolled to generation 2", async () => {
        const d = await getDeployment(ctx, name);
        return d.readyReplicas === 2 && d.replicas.length === 2 && d.replicas.every((r) => r.generation === 2 && r.state === "ready") && d;
      });
      await rec.flushWrites();
      // Keep the load a moment on the new replicas, then stop it.
      await new Promise((r) => setTimeout(r, 1_000));
      rolling = false;
      const { sent, failures } = await light;
      expect(failures).toEqual([]);
      const rows = await usageOf(name);
      expect(rows).toHaveLength(sent);
      expect(rows.every((r) => r.status === "ok")).toBe(true);
      // The load ran through the roll: old and new replicas both answered.
      const oldIds = new Set(before.replicas.map((r) => r.id));
      const answered = new Set(rows.map((r) => r.replicaId));
      expect([...answered].some((id) => oldIds.has(id!))).toBe(true);
      expect([...answered].some((id) => !oldIds.has(id!))).toBe(true);
      expect((await listDeploymentEvents(ctx, name)).filter((e) => e.kind === "rolled")).toHaveLength(2);
    } finally {
      unregister();
      await rec.stop();
    }
  });
});
