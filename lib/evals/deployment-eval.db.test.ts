// An eval run on a deployment, on a real database (PGlite and PostgreSQL) and a real replica: the
// deployment is offered beside the catalogue, a run is created under its name (as `npm run eval --models`
// and the API name it), and every case is answered by the deployment's replica through the one
// inference door, with the usage rows naming the deployment.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models, usageEvents } from "@/db/schema";
import { openEngineBed, type EngineBed } from "@/lib/testing/engine-bed";
import { serveDeployment } from "@/lib/testing/served-deployment";
import { evalModelCaller } from "./call-model";
import { runEval } from "./runner";
import { createRun, createSuite, listResultRows, resolveModelIds } from "./suites";
import { getEvalOverview } from "./views";

let bed: EngineBed;

beforeAll(async () => {
  bed = await openEngineBed("kindling-deployment-eval-", { usage: true });
}, 300_000);

afterAll(() => bed?.close(), 120_000);

describe(`an eval run on a deployment (${process.env.KINDLING_TEST_DB})`, { timeout: 300_000 }, () => {
  it("offers the deployment, runs every case on its replica, and names it in the results and usage rows", async () => {
    const [starter] = await bed.ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "kindling-starter"));
    const { name, ready, stop } = await serveDeployment(bed, "evaluated", { modelId: starter.id, minReplicas: 1, maxReplicas: 1 }, { tickMs: 150, sampleMs: 500 });
    try {
      const overview = await getEvalOverview(bed.ctx.db);
      expect(overview.models).toContainEqual({ id: name, name, providerName: "Deployments" });
      expect(await resolveModelIds(bed.ctx.db, [name])).toEqual([name]);

      const cases = ["What is 2 + 2?", "Name a colour.", "Say hello."].map((content) => ({ messages: [{ role: "user" as const, content }], expected: "unused" }));
      const suite = await createSuite(bed.ctx.db, { name: `on-${name}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
      const run = await createRun(bed.ctx.db, { suiteId: suite.id, modelIds: [name], params: { temperature: 0, max_tokens: 8 } }, null);
      expect(await runEval(bed.ctx.db, run.id, evalModelCaller(bed.ctx.db, null))).toBe("done");

      const rows = await listResultRows(bed.ctx.db, run.id);
      expect(rows.map((r) => [r.modelId, r.modelName, r.status])).toEqual(cases.map(() => [name, name, "ok"]));
      expect(rows.every((r) => r.output && r.requestId)).toBe(true);
      await bed.flushUsage();
      const usage = await bed.ctx.db.select().from(usageEvents).where(eq(usageEvents.source, "eval"));
      expect(usage.map((u) => u.requestId).sort()).toEqual(rows.map((r) => r.requestId).sort());
      const replicas = ready.replicas.map((r) => r.id);
      expect(usage.every((u) => u.deployment === name && replicas.includes(u.replicaId!))).toBe(true);
    } finally {
      await stop();
    }
  });
});
