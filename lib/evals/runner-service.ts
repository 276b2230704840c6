// Eval runs as jobs: each run has a job of kind "eval-run" (same id), so the job runner gives it a
// lease with heartbeats. Several consoles on one database never run the same run at once, and a
// run whose console died (kill -9) is claimed again when its lease expires; it continues from its
// stored results (runner.ts skips the pairs already graded).
import "server-only";
import { and, eq, inArray, notExists, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { evalRuns, jobs } from "@/db/schema";
import type { BackgroundService } from "@/lib/bootstrap/services";
import { addJobEvent } from "@/lib/jobs/queue";
import { registerJobHandler } from "@/lib/jobs/registry";
import { JobFailure, type JobHandler } from "@/lib/jobs/runner";
import { evalModelCaller, type CallModel } from "./call-model";
import { runEval } from "./runner";
import { EVAL_RUN_JOB_KIND, getRun } from "./suites";

/** Runs at once per console: each run also bounds its own concurrent calls. */
const RUNS_PER_CONSOLE = 2;
/** At most one progress write a second per run. */
const PROGRESS_EVERY_MS = 1_000;

export function createEvalRunHandler(caller: (db: Db, userId: string | null) => CallModel = evalModelCaller): JobHandler {
  return async (ctx) => {
    const runId = String(ctx.job.payload.runId ?? "");
    const run = await getRun(ctx.db, runId);
    if (!run) throw new JobFailure(`The eval run ${runId} no longer exists.`);
    let done = run.done;
    let lastWrite = 0;
    try {
      const status = await runEval(ctx.db, runId, caller(ctx.db, run.createdBy), {
        signal: ctx.signal,
        onResult: () => {
          done++;
          const now = Date.now();
          if (now - lastWrite < PROGRESS_EVERY_MS && done < run.total) return;
          lastWrite = now;
          void ctx.progress({ done, total: run.total }).catch(() => {});
        },
      });
      return { status, done, total: run.total };
    } catch (error) {
      // Out of attempts: the run itself says so, instead of staying "running" for ever.
      if (ctx.job.attempts >= ctx.job.maxAttempts && !ctx.signal.aborted) {
        await ctx.db.update(evalRuns).set({ status: "failed", finishedAt: new Date() }).where(and(eq(evalRuns.id, runId), inArray(evalRuns.status, ["queued", "running"])));
      }
      throw new JobFailure(`The eval run stopped: ${(error as Error).message}`, { retry: true, cause: error });
    }
  };
}

/**
 * Runs that are queued or running but have no job (created before runs were jobs) get one, so they
 * resume like any other. Idempotent: the job's id is the run's.
 */
export async function enqueueOrphanRuns(db: Db): Promise<number> {
  const orphans = await db
    .select({ id: evalRuns.id, createdBy: evalRuns.createdBy })
    .from(evalRuns)
    .where(and(inArray(evalRuns.status, ["queued", "running"]), notExists(db.select({ one: sql`1` }).from(jobs).where(eq(jobs.id, evalRuns.id)))));
  for (const o of orphans) {
    const inserted = await db
      .insert(jobs)
      .values({ id: o.id, kind: EVAL_RUN_JOB_KIND, payload: { runId: o.id }, createdBy: o.createdBy })
      .onConflictDoNothing()
      .returning({ id: jobs.id });
    if (inserted.length) await addJobEvent(db, o.id, "info", "Queued (a run from before eval runs were jobs)");
  }
  return orphans.length;
}

export const evalRunnerService = {
  name: "eval-runner",
  async start(): Promise<void> {
    await enqueueOrphanRuns(await getDb());
    registerJobHandler(EVAL_RUN_JOB_KIND, createEvalRunHandler(), { concurrency: RUNS_PER_CONSOLE, leaseMs: 30_000, retryDelayMs: 5_000 });
  },
  async stop(): Promise<void> {},
} satisfies BackgroundService;
