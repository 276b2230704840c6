// The reconciler under load, with requests through the one inference door (prepareChatCall and the
// deployment resolver, as the gateway sends them) to real engine processes: 16 concurrent streams
// scale a deployment 1 -> 2 and back, and a settings change rolls under a light load with no failure.
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models, usageEvents } from "@/db/schema";
import { writeTestModel } from "@/lib/gguf/test-model";
import { prepareChatCall } from "@/lib/inference/call";
import { getDeployment, listDeploymentEvents, updateDeployment } from "./deployments";
import { openEngineBed, type EngineBed } from "@/lib/testing/engine-bed";
import { serveDeployment } from "@/lib/testing/served-deployment";
import { until } from "@/lib/testing/until";

let bed: EngineBed;
let baseId: string;
const RECONCILER = { tickMs: 150, sampleMs: 500, drainTimeoutMs: 10_000 };

/** One streamed chat through the inference door; resolves to the failure's message, or null when it answered. */
async function streamOnce(model: string, maxTokens: number): Promise<string | null> {
  try {
    const call = await prepareChatCall(bed.ctx.db, {
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
  await bed.flushUsage();
  return bed.ctx.db.select({ status: usageEvents.status, replicaId: usageEvents.replicaId }).from(usageEvents).where(and(eq(usageEvents.deployment, name)));
}

beforeAll(async () => {
  // No end token: every answer runs to max_tokens, so a request lasts long enough to be counted.
  const writeModels = (dir: string) => writeTestModel(path.join(dir, "tiny.gguf"), { embeddingLength: 32, blockCount: 1, allowEnd: false, contextLength: 1024 });
  // The usage rows of these calls go to this test's database (the queue is the process's one).
  bed = await openEngineBed("kindling-reconciler-load-", { models: writeModels, starter: false, usage: true });
  [{ id: baseId }] = await bed.ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "tiny"));
}, 300_000);

afterAll(() => bed?.close(), 120_000);

describe("reconciler under load", { timeout: 900_000 }, () => {
  it("scales 1 -> 2 under 16 concurrent streams and back to 1 after, saying why each time", async () => {
    const settings = { modelId: baseId, minReplicas: 1, maxReplicas: 2, targetConcurrency: 4, scaleUpWindowS: 3, scaleDownWindowS: 6, engine: { parallel: 4 } };
    const { name, rec, stop } = await serveDeployment(bed, "auto", settings, RECONCILER);
    try {
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

      const up = (await listDeploymentEvents(bed.ctx, name)).find((e) => e.kind === "scaled");
      expect(up?.message).toMatch(/^Scaled 1 → 2: concurrency \d+(\.\d)? > target 4 × 1 for 3 s\.$/);
      expect(Number(/concurrency (\S+) >/.exec(up!.message)![1])).toBeGreaterThan(4);
      const rows = await usageOf(name);
      expect(rows).toHaveLength(loaded.sent);
      expect(rows.every((r) => r.status === "ok")).toBe(true);
      expect(new Set(rows.map((r) => r.replicaId)).size).toBe(2);

      // After the load: back to the minimum once the down window has seen nothing.
      const down = await until("scaled back to 1", async () => {
        const d = await getDeployment(bed.ctx, name);
        const events = await listDeploymentEvents(bed.ctx, name);
        const e = events.find((x) => x.kind === "scaled" && x.message.startsWith("Scaled 2 → 1"));
        return d.desiredReplicas === 1 && rec.replicasOf(name).length === 1 && e;
      }, 120_000);
      // The window starts with the sample held at its start, which may catch the load's last streams.
      expect(down.message).toMatch(/^Scaled 2 → 1: concurrency at most \d+(\.\d)? ≤ target 4 × 1 for 6 s\.$/);
      expect(Number(/at most (\S+) ≤/.exec(down.message)![1])).toBeLessThanOrEqual(4);
      await rec.flushWrites();
      expect((await listDeploymentEvents(bed.ctx, name)).some((e) => e.kind === "replica_stopped" && e.message.includes("scaled to 1"))).toBe(true);
    } finally {
      await stop();
    }
  });

  it("rolls a settings change with zero failed requests under a light load", async () => {
    const { name, rec, ready: before, stop } = await serveDeployment(bed, "roll", { modelId: baseId, minReplicas: 2, maxReplicas: 2, engine: { parallel: 2 } }, RECONCILER);
    try {
      let rolling = true;
      const light = load(name, 3, 16, () => rolling);
      await new Promise((r) => setTimeout(r, 500));
      await updateDeployment(bed.ctx, null, { name, engine: { threads: 1, parallel: 3, contextSize: null } });
      await until("rolled to generation 2", async () => {
        const d = await getDeployment(bed.ctx, name);
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
      expect((await listDeploymentEvents(bed.ctx, name)).filter((e) => e.kind === "rolled")).toHaveLength(2);
    } finally {
      await stop();
    }
  });
});
