import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db, type DbHandle } from "@/db/client";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { appErrorOf } from "@/lib/testing/app-error";
import {
  cancelJob,
  claimJob,
  completeJob,
  enqueueJob,
  failJob,
  getJob,
  heartbeatJob,
  jobsDue,
  listJobEvents,
  reapExpiredJobs,
  updateJobProgress,
} from "./queue";
import { JobFailure, JobRunner, type JobContext } from "./runner";

let handle: TestDatabase;
/** A second connection, as a second console instance sharing the server would have. */
let other: DbHandle | null = null;
beforeAll(async () => {
  handle = await openTestDatabase();
  if (handle.url) other = await openDatabase({ kind: "postgres", url: handle.url, max: 2 });
  // Opening and migrating PGlite took over 60 s on a machine shared by eight engineers.
}, 180_000);
afterAll(async () => {
  await other?.close();
  await handle?.close();
});

let n = 0;
const uniqueKind = () => `test-${Date.now().toString(36)}-${n++}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await sleep(25);
  }
}

describe(`job queue on ${process.env.KINDLING_TEST_DB}`, () => {
  it("claims a queued job once, renews its lease and completes it", async () => {
    const kind = uniqueKind();
    const job = await enqueueJob(handle.db, { kind, payload: { a: 1 } });
    expect(job.status).toBe("queued");
    const claimed = await claimJob(handle.db, { owner: "A", kinds: [kind], leaseMs: 30_000 });
    expect(claimed).toMatchObject({ id: job.id, status: "running", attempts: 1, leaseOwner: "A", payload: { a: 1 } });
    expect(claimed!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await claimJob(handle.db, { owner: "B", kinds: [kind], leaseMs: 30_000 })).toBeNull();
    expect(await heartbeatJob(handle.db, job.id, "A", 30_000)).toEqual({ held: true, cancelRequested: false });
    expect(await heartbeatJob(handle.db, job.id, "B", 30_000)).toEqual({ held: false, cancelRequested: false });
    expect(await updateJobProgress(handle.db, job.id, "A", { step: 3 })).toBe(true);
    expect(await completeJob(handle.db, job.id, "A", { out: "x" })).toBe(true);
    expect(await getJob(handle.db, job.id)).toMatchObject({ status: "succeeded", progress: { step: 3 }, result: { out: "x" }, leaseOwner: null });
    expect((await listJobEvents(handle.db, job.id)).map((e) => e.message)).toEqual(["Queued", "Succeeded"]);
  });

  it("two concurrent claimers never get the same job", async () => {
    const kind = uniqueKind();
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await enqueueJob(handle.db, { kind, payload: { i } })).id);
    const second: Db = other?.db ?? handle.db;
    const drain = async (db: Db, owner: string) => {
      const got: string[] = [];
      for (;;) {
        const job = await claimJob(db, { owner, kinds: [kind], leaseMs: 30_000 });
        if (!job) return got;
        got.push(job.id);
      }
    };
    const [a, b] = await Promise.all([drain(handle.db, "A"), drain(second, "B")]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
    expect(new Set([...a, ...b]).size).toBe(12);
  });

  it("a job whose lease expired is claimed again by another owner, and the first owner can no longer write", async () => {
    const kind = uniqueKind();
    const job = await enqueueJob(handle.db, { kind, payload: {} });
    await claimJob(handle.db, { owner: "dead", kinds: [kind], leaseMs: 100 });
    expect(await claimJob(handle.db, { owner: "B", kinds: [kind], leaseMs: 30_000 })).toBeNull();
    await sleep(250);
    const again = await claimJob(other?.db ?? handle.db, { owner: "B", kinds: [kind], leaseMs: 30_000 });
    expect(again).toMatchObject({ id: job.id, attempts: 2, leaseOwner: "B", status: "running" });
    expect(await heartbeatJob(handle.db, job.id, "dead", 30_000)).toMatchObject({ held: false });
    expect(await completeJob(handle.db, job.id, "dead")).toBe(false);
    expect(await completeJob(handle.db, job.id, "B")).toBe(true);
  });

  it("an expired job with no attempts left is failed, not claimed", async () => {
    const kind = uniqueKind();
    const job = await enqueueJob(handle.db, { kind, payload: {}, maxAttempts: 1 });
    await claimJob(handle.db, { owner: "dead", kinds: [kind], leaseMs: 50 });
    await sleep(150);
    expect(await claimJob(handle.db, { owner: "B", kinds: [kind], leaseMs: 30_000 })).toBeNull();
    expect(await reapExpiredJobs(handle.db, [kind])).toBe(1);
    expect(await getJob(handle.db, job.id)).toMatchObject({ status: "failed" });
  });

  it("jobsDue is true for a queued job whose time has come and for an expired lease, false otherwise", async () => {
    const kind = uniqueKind();
    expect(await jobsDue(handle.db, [kind])).toBe(false);
    // A retry waiting for its time is not due.
    const later = await enqueueJob(handle.db, { kind, payload: {} });
    await claimJob(handle.db, { owner: "A", kinds: [kind], leaseMs: 30_000 });
    expect(await failJob(handle.db, later.id, "A", "boom", { retry: true, retryDelayMs: 60_000 })).toBe("queued");
    expect(await jobsDue(handle.db, [kind])).toBe(false);
    await cancelJob(handle.db, later.id);
    await enqueueJob(handle.db, { kind, payload: {} });
    expect(await jobsDue(handle.db, [kind])).toBe(true);
    expect(await jobsDue(handle.db, [uniqueKind()])).toBe(false);
    // Claimed under a live lease: nothing due; once the lease has expired, due again (claim or reap).
    await claimJob(handle.db, { owner: "A", kinds: [kind], leaseMs: 100 });
    expect(await jobsDue(handle.db, [kind])).toBe(false);
    await sleep(250);
    expect(await jobsDue(handle.db, [kind])).toBe(true);
  });

  it("retries a failed attempt while attempts are left, then fails for good", async () => {
    const kind = uniqueKind();
    const job = await enqueueJob(handle.db, { kind, payload: {}, maxAttempts: 2 });
    await claimJob(handle.db, { owner: "A", kinds: [kind], leaseMs: 30_000 });
    expect(await failJob(handle.db, job.id, "A", "boom", { retry: true, retryDelayMs: 0 })).toBe("queued");
    const second = await claimJob(handle.db, { owner: "A", kinds: [kind], leaseMs: 30_000 });
    expect(second).toMatchObject({ attempts: 2 });
    expect(await failJob(handle.db, job.id, "A", "boom again", { retry: true })).toBe("failed");
    expect(await getJob(handle.db, job.id)).toMatchObject({ status: "failed", error: "boom again" });
  });

  it("cancels a queued job at once, flags a running one, and refuses a second cancel", async () => {
    const kind = uniqueKind();
    const queued = await enqueueJob(handle.db, { kind, payload: {} });
    expect((await cancelJob(handle.db, queued.id)).status).toBe("cancelled");
    const err = await appErrorOf(cancelJob(handle.db, queued.id));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/already been cancelled/);
    expect((await appErrorOf(cancelJob(handle.db, "no-such-job"))).code).toBe("NOT_FOUND");

    const running = await enqueueJob(handle.db, { kind, payload: {} });
    await claimJob(handle.db, { owner: "A", kinds: [kind], leaseMs: 30_000 });
    expect((await cancelJob(handle.db, running.id)).cancelRequested).toBe(true);
    expect(await heartbeatJob(handle.db, running.id, "A", 30_000)).toEqual({ held: true, cancelRequested: true });
    // A kind scope keeps one area from cancelling another's jobs.
    expect((await appErrorOf(cancelJob(handle.db, running.id, { kind: "other-kind" }))).code).toBe("NOT_FOUND");
  });
});

describe(`job runner on ${process.env.KINDLING_TEST_DB}`, () => {
  const runnerFor = (owner: string) => new JobRunner({ getDb: async () => handle.db, owner, pollMs: 50 });

  it("runs a job through its handler with progress and events, one at a time per kind", async () => {
    const kind = uniqueKind();
    const runner = runnerFor("R1");
    let concurrent = 0;
    let maxConcurrent = 0;
    runner.register(kind, async (ctx: JobContext) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await ctx.progress({ step: 1 });
      await ctx.event("info", "halfway", { step: 1 });
      await sleep(60);
      concurrent--;
      return { doubled: (ctx.job.payload.x as number) * 2 };
    });
    const a = await enqueueJob(handle.db, { kind, payload: { x: 2 } });
    const b = await enqueueJob(handle.db, { kind, payload: { x: 5 } });
    runner.start();
    try {
      const done = await waitFor(
        async () => [await getJob(handle.db, a.id), await getJob(handle.db, b.id)],
        (js) => js.every((j) => j?.status === "succeeded"),
      );
      expect(done.map((j) => j!.result)).toEqual([{ doubled: 4 }, { doubled: 10 }]);
      expect(maxConcurrent).toBe(1);
      expect((await listJobEvents(handle.db, a.id)).map((e) => e.message)).toEqual(["Queued", "Started", "halfway", "Succeeded"]);
    } finally {
      await runner.stop();
    }
  });

  it("progress the handler does not await is stored in the order reported, before the job settles", async () => {
    const kind = uniqueKind();
    const runner = runnerFor("R5");
    runner.register(kind, async (ctx: JobContext) => {
      // As eval runs report: fire and forget, many in a burst, the last just before returning.
      for (let done = 1; done <= 20; done++) void ctx.progress({ done, total: 20 }).catch(() => {});
      return { ok: true };
    });
    const job = await enqueueJob(handle.db, { kind, payload: {} });
    runner.start();
    try {
      const done = await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "succeeded");
      expect(done!.progress).toEqual({ done: 20, total: 20 });
    } finally {
      await runner.stop();
    }
  });

  it("a cancel reaches the running handler through its signal", async () => {
    const kind = uniqueKind();
    const runner = runnerFor("R2");
    runner.register(
      kind,
      (ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => resolve({ stoppedBy: ctx.stopReason() }));
        }),
      { leaseMs: 600 },
    );
    const job = await enqueueJob(handle.db, { kind, payload: {} });
    runner.start();
    try {
      await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "running");
      await cancelJob(handle.db, job.id);
      const done = await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "cancelled");
      expect(done!.result).toEqual({ stoppedBy: "cancel" });
    } finally {
      await runner.stop();
    }
  });

  it("a handler's failure is stored; a JobFailure without retry fails at once", async () => {
    const kind = uniqueKind();
    const runner = runnerFor("R3");
    runner.register(kind, async () => {
      throw new JobFailure("the dataset is gone");
    });
    const job = await enqueueJob(handle.db, { kind, payload: {} });
    runner.start();
    try {
      const done = await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "failed");
      expect(done).toMatchObject({ error: "the dataset is gone", attempts: 1 });
    } finally {
      await runner.stop();
    }
  });

  it("stop() hands a running job back to the queue, and a dead runner's job is resumed by another", async () => {
    const kind = uniqueKind();
    const seen: Array<{ owner: string; attempt: number }> = [];
    const handler = (ctx: JobContext) =>
      new Promise<Record<string, unknown>>((resolve) => {
        seen.push({ owner: ctx.owner, attempt: ctx.job.attempts });
        if (ctx.owner === "finisher") resolve({ by: ctx.owner });
        ctx.signal.addEventListener("abort", () => resolve({}));
      });
    const job = await enqueueJob(handle.db, { kind, payload: {} });

    const first = runnerFor("first");
    first.register(kind, handler, { leaseMs: 300 });
    first.start();
    await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "running");
    await first.stop();
    expect(await getJob(handle.db, job.id)).toMatchObject({ status: "queued", attempts: 0, leaseOwner: null });

    // A runner that dies without stopping (kill -9): claim the job directly and never heartbeat.
    await claimJob(handle.db, { owner: "killed", kinds: [kind], leaseMs: 200 });
    const finisher = runnerFor("finisher");
    finisher.register(kind, handler, { leaseMs: 300 });
    finisher.start();
    try {
      const done = await waitFor(() => getJob(handle.db, job.id), (j) => j?.status === "succeeded");
      expect(done).toMatchObject({ result: { by: "finisher" }, attempts: 2 });
      expect(seen.map((s) => s.owner)).toEqual(["first", "finisher"]);
    } finally {
      await finisher.stop();
    }
  });
});
