// The reconciler with real engine processes on a real database: replicas start and serve, a kill -9
// is replaced, a settings change rolls, a restarted console resumes, scale to zero and a cold start.
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentReplicas, models } from "@/db/schema";
import { writeTestModel } from "@/lib/gguf/test-model";
import { createDeployment, deleteDeployment, getDeployment, listDeploymentEvents, setDeploymentPaused, updateDeployment } from "./deployments";
import { LocalDriver } from "./drivers/local";
import { BeforeFirstTokenError } from "./picker";
import { Reconciler } from "./reconciler";
import { routeToDeployment } from "./traffic";
import { createDeploymentSchema } from "./schemas";
import { openEngineBed, type EngineBed } from "@/lib/testing/engine-bed";
import { unique } from "@/lib/testing/unique";
import { until } from "@/lib/testing/until";

let bed: EngineBed;
let baseId: string;
let clockOffset = 0;
const now = () => Date.now() + clockOffset;


const kinds = async (name: string) => (await listDeploymentEvents(bed.ctx, name)).map((e) => e.kind);

function reconciler() {
  return new Reconciler(bed.ctx.db, new LocalDriver(bed.engines), { tickMs: 150, sampleMs: 400, drainTimeoutMs: 5_000, modelsDir: bed.dir, now });
}

async function chat(baseUrl: string, model: string) {
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 4, temperature: 0 }),
  });
  return { status: res.status, body: (await res.json()) as { model: string } };
}

beforeAll(async () => {
  const writeModels = (dir: string) => writeTestModel(path.join(dir, "tiny.gguf"), { embeddingLength: 32, blockCount: 1, allowEnd: true });
  bed = await openEngineBed("kindling-reconciler-", { models: writeModels, starter: false });
  [{ id: baseId }] = await bed.ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "tiny"));
}, 300_000);

afterAll(() => bed?.close(), 120_000);

// Engine processes take 1-40 s to load on a busy 2-core machine: generous bounds, no fixed sleeps.
describe("reconciler", { timeout: 900_000 }, () => {
  it("runs two replicas, replaces a killed one, rolls a settings change, resumes after a restart, and deletes", async () => {
    const name = unique("two");
    await createDeployment(bed.ctx, null, createDeploymentSchema.parse({ name, modelId: baseId, minReplicas: 2, maxReplicas: 2, engine: { parallel: 2 } }));
    let rec = reconciler();
    await rec.start();
    try {
      const ready = await until("two ready replicas", async () => {
        const d = await getDeployment(bed.ctx, name);
        return d.state === "ready" && d.readyReplicas === 2 && d;
      });
      const live = rec.replicasOf(name);
      const answer = await chat(live[0].endpoints[""]!, name);
      expect(answer.status).toBe(200);
      expect(answer.body.model).toBe(name);

      // kill -9 one replica during a bounded load through the router: a request whose replica dies
      // before answering is retried once on the other, so every request succeeds.
      const victim = ready.replicas[0];
      const send = async ({ baseUrl }: { baseUrl: string }) => {
        let res: Response;
        try {
          res = await fetch(`${baseUrl}/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ model: name, messages: [{ role: "user", content: "hi" }], max_tokens: 8, temperature: 0 }),
          });
        } catch (error) {
          throw new BeforeFirstTokenError((error as Error).message);
        }
        if (res.status >= 500) throw new BeforeFirstTokenError(`status ${res.status}`);
        return res.status;
      };
      const load = Array.from({ length: 3 }, async () => {
        const results: { status: number; replica: string }[] = [];
        for (let i = 0; i < 6; i++) {
          const a = await routeToDeployment(rec, name, send, { coldStartWaitMs: 1000 });
          if (a.via === "replica") results.push({ status: a.value, replica: a.replicaId });
        }
        return results;
      });
      await new Promise((r) => setTimeout(r, 300));
      process.kill(victim.pid!, "SIGKILL");
      const results = (await Promise.all(load)).flat();
      expect(results).toHaveLength(18);
      expect(results.every((x) => x.status === 200)).toBe(true);
      await until("the killed replica restarted", async () => (await kinds(name)).includes("replica_restarted"));
      const events = await listDeploymentEvents(bed.ctx, name);
      expect(events.find((e) => e.kind === "replica_exited")?.message).toMatch(/killed by SIGKILL/);
      // One kill is one exit, though the supervisor reports "restarting" again when it relaunches.
      expect(events.filter((e) => e.kind === "replica_exited")).toHaveLength(1);
      const after = await until("both ready again", async () => {
        const d = await getDeployment(bed.ctx, name);
        return d.readyReplicas === 2 && d;
      });
      const again = after.replicas.find((r) => r.id === victim.id)!;
      expect(again.pid).not.toBe(victim.pid);
      expect(again.restarts).toBe(1);

      // A settings change rolls: new replicas ready before the old ones stop.
      await updateDeployment(bed.ctx, null, { name, engine: { threads: 1, parallel: 3, contextSize: null } });
      const rolled = await until("rolled to generation 2", async () => {
        const d = await getDeployment(bed.ctx, name);
        return d.readyReplicas === 2 && d.replicas.every((r) => r.generation === 2 && r.state === "ready") && d;
      });
      expect(rolled.replicas.map((r) => r.id).some((id) => ready.replicas.some((o) => o.id === id))).toBe(false);
      await rec.flushWrites();
      expect((await kinds(name)).filter((k) => k === "rolled")).toHaveLength(2);
    } finally {
      await rec.stop();
    }

    // A new console process: the old replicas are recorded as lost and replaced from the database.
    rec = reconciler();
    await rec.start();
    try {
      await until("replicas back after the restart", async () => (await getDeployment(bed.ctx, name)).readyReplicas === 2);
      const rows = await bed.ctx.db.select().from(deploymentReplicas).where(eq(deploymentReplicas.state, "stopped"));
      expect(rows.filter((r) => r.error === "the console stopped").length).toBeGreaterThanOrEqual(2);

      await setDeploymentPaused(bed.ctx, null, name, true);
      await until("paused replicas stopped", async () => rec.replicasOf(name).length === 0);
      await setDeploymentPaused(bed.ctx, null, name, false);
      await until("resumed", async () => (await getDeployment(bed.ctx, name)).readyReplicas === 2);

      await deleteDeployment(bed.ctx, null, name);
      await until("replicas of a deleted deployment stopped", async () => rec.replicasOf(name).length === 0);
      expect(bed.engines.list().filter((e) => e.status !== "stopped" && e.status !== "failed")).toHaveLength(0);
    } finally {
      await rec.stop();
    }
  });

  it("scales to zero after idle and answers the next request with a cold start", async () => {
    const name = unique("zero");
    await createDeployment(bed.ctx, null, createDeploymentSchema.parse({ name, modelId: baseId, minReplicas: 0, maxReplicas: 1, scaleToZeroAfterS: 10 }));
    const rec = reconciler();
    await rec.start();
    try {
      expect((await getDeployment(bed.ctx, name)).state).toBe("idle");
      const woke = await rec.waitForReady(name, 240_000);
      expect(woke, JSON.stringify(await listDeploymentEvents(bed.ctx, name))).toBe(true);
      const [replica] = rec.replicasOf(name);
      expect((await chat(replica.endpoints[""]!, name)).status).toBe(200);
      await rec.flushWrites();
      expect((await listDeploymentEvents(bed.ctx, name)).find((e) => e.kind === "cold_start")?.message).toMatch(/first replica ready in \d+\.\d s/);

      clockOffset += 11_000;
      await until("scaled to zero", async () => (await getDeployment(bed.ctx, name)).state === "idle" && rec.replicasOf(name).length === 0);
      expect((await listDeploymentEvents(bed.ctx, name)).find((e) => e.kind === "scaled_to_zero")?.message).toMatch(/^Scaled to zero after 1\d s idle\.$/);
    } finally {
      await rec.stop();
    }
  });
});
