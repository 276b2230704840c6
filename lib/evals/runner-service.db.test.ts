// Eval runs as jobs, against a real database: two consoles' job runners never run one run twice, a
// run whose console died is taken over when its lease expires and finishes without repeating a
// case, and a cancel reaches the running handler. The model is the one boundary replaced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db, type DbHandle } from "@/db/client";
import { models, providers } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { claimJob, getJob } from "@/lib/jobs/queue";
import { JobRunner } from "@/lib/jobs/runner";
import type { CallModel } from "./call-model";
import { createEvalRunHandler, enqueueOrphanRuns } from "./runner-service";
import { cancelRun, createRun, createSuite, EVAL_RUN_JOB_KIND, getRun, listResultRows } from "./suites";

let handle: TestDatabase;
/** A second connection, as a second console on the same PostgreSQL server would have. */
let other: DbHandle | null = null;
beforeAll(async () => {
  handle = await openTestDatabase();
  if (handle.url) other = await openDatabase({ kind: "postgres", url: handle.url, max: 2 });
  await handle.db.insert(providers).values({ id: "p-jobs", name: "Test provider", kind: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" });
  await handle.db.insert(models).values([{ id: "m-echo", providerId: "p-jobs", name: "echo" }]);
}, 180_000);
afterAll(async () => {
  await other?.close();
  await handle?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cases = Array.from({ length: 12 }, (_, i) => ({ messages: [{ role: "user" as const, content: `say ${i}` }], expected: String(i) }));

/** Answers with the number it was asked to say, after `delayMs`; records who answered what. */
function echo(calls: string[], who: string, delayMs = 20): (db: Db, userId: string | null) => CallModel {
  return () => async (_modelId, messages, _params, signal) => {
    await sleep(delayMs);
    if (signal?.aborted) throw new Error("aborted");
    const n = messages.at(-1)!.content.split(" ")[1];
    calls.push(`${who}:${n}`);
    return { requestId: `r-${who}-${n}`, modelName: "echo", content: n, ttftMs: 5, totalMs: delayMs, inputTokens: 3, outputTokens: 1, costUsd: null };
  };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await sleep(50);
  }
}

describe(`eval runs as jobs on ${process.env.KINDLING_TEST_DB}`, { timeout: 120_000 }, () => {
  it("two consoles' runners share the queue: each run is run by one of them, every case once", async () => {
    const suite = await createSuite(handle.db, { name: `jobs-${Date.now()}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
    const runs = await Promise.all([1, 2, 3].map(() => createRun(handle.db, { suiteId: suite.id, modelIds: ["m-echo"], concurrency: 2 }, null)));
    const calls: string[] = [];
    const a = new JobRunner({ getDb: async () => handle.db, owner: "console-a", pollMs: 50 });
    const b = new JobRunner({ getDb: async () => other?.db ?? handle.db, owner: "console-b", pollMs: 50 });
    a.register(EVAL_RUN_JOB_KIND, createEvalRunHandler(echo(calls, "a")), { concurrency: 2 });
    b.register(EVAL_RUN_JOB_KIND, createEvalRunHandler(echo(calls, "b")), { concurrency: 2 });
    a.start();
    b.start();
    try {
      await waitUntil(async () => (await Promise.all(runs.map((r) => getRun(handle.db, r.id)))).every((r) => r?.status === "done"));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    for (const r of runs) {
      const rows = await listResultRows(handle.db, r.id);
      expect(rows.map((x) => x.caseIdx)).toEqual(cases.map((_, i) => i));
      expect(rows.every((x) => x.score === 1)).toBe(true);
      const job = await getJob(handle.db, r.id);
      expect(job).toMatchObject({ kind: EVAL_RUN_JOB_KIND, status: "succeeded", attempts: 1 });
      expect(job!.progress).toMatchObject({ done: 12, total: 12 });
    }
    // 3 runs x 12 cases, each answered once in all.
    expect(calls).toHaveLength(36);
  });

  it("a run whose console died is taken over when its lease expires, and finishes without repeating a case", async () => {
    const suite = await createSuite(handle.db, { name: `lease-${Date.now()}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
    const run = await createRun(handle.db, { suiteId: suite.id, modelIds: ["m-echo"], concurrency: 1 }, null);
    // A console claims the run with a short lease, grades 4 cases and dies (no release, no heartbeat).
    const dead = await claimJob(handle.db, { owner: "console-killed", kinds: [EVAL_RUN_JOB_KIND], leaseMs: 1_500 });
    expect(dead?.id).toBe(run.id);
    const calls: string[] = [];
    const controller = new AbortController();
    let results = 0;
    const { runEval } = await import("./runner");
    await runEval(handle.db, run.id, echo(calls, "killed")(handle.db, null), { signal: controller.signal, onResult: () => ++results >= 4 && controller.abort() });
    const graded = (await listResultRows(handle.db, run.id)).length;
    expect(graded).toBeGreaterThanOrEqual(4);

    const survivor = new JobRunner({ getDb: async () => other?.db ?? handle.db, owner: "console-survivor", pollMs: 50 });
    survivor.register(EVAL_RUN_JOB_KIND, createEvalRunHandler(echo(calls, "survivor")), { concurrency: 1 });
    survivor.start();
    try {
      await waitUntil(async () => (await getRun(handle.db, run.id))?.status === "done");
    } finally {
      await survivor.stop();
    }
    const rows = await listResultRows(handle.db, run.id);
    expect(rows.map((x) => x.caseIdx)).toEqual(cases.map((_, i) => i));
    expect(calls.filter((c) => c.startsWith("survivor:"))).toHaveLength(12 - graded);
    expect(new Set(calls.map((c) => c.split(":")[1])).size).toBe(12);
    expect(await getJob(handle.db, run.id)).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("a cancel stops the running handler within a heartbeat and keeps what was graded", async () => {
    const suite = await createSuite(handle.db, { name: `cancel-job-${Date.now()}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
    const run = await createRun(handle.db, { suiteId: suite.id, modelIds: ["m-echo"], concurrency: 1 }, null);
    const calls: string[] = [];
    const runner = new JobRunner({ getDb: async () => handle.db, owner: "console-c", pollMs: 50 });
    runner.register(EVAL_RUN_JOB_KIND, createEvalRunHandler(echo(calls, "c", 200)), { concurrency: 1, heartbeatMs: 100 });
    runner.start();
    try {
      await waitUntil(async () => calls.length >= 2);
      expect(await cancelRun(handle.db, run.id)).toBe(true);
      await waitUntil(async () => (await getJob(handle.db, run.id))?.status === "cancelled", 10_000);
    } finally {
      await runner.stop();
    }
    const after = calls.length;
    await sleep(500);
    expect(calls.length).toBe(after);
    expect((await getRun(handle.db, run.id))?.status).toBe("cancelled");
    expect((await listResultRows(handle.db, run.id)).length).toBeLessThan(12);
    expect(await cancelRun(handle.db, run.id)).toBe(false);
  });

  it("a run from before runs were jobs gets its job at start, once", async () => {
    const suite = await createSuite(handle.db, { name: `orphan-${Date.now()}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
    const run = await createRun(handle.db, { suiteId: suite.id, modelIds: ["m-echo"] }, null);
    const { jobs, jobEvents } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    await handle.db.delete(jobEvents).where(eq(jobEvents.jobId, run.id));
    await handle.db.delete(jobs).where(eq(jobs.id, run.id));
    expect(await enqueueOrphanRuns(handle.db)).toBeGreaterThanOrEqual(1);
    expect(await getJob(handle.db, run.id)).toMatchObject({ kind: EVAL_RUN_JOB_KIND, status: "queued" });
    await enqueueOrphanRuns(handle.db);
    expect((await handle.db.select().from(jobs).where(eq(jobs.id, run.id))).length).toBe(1);
  });
});
