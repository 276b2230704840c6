// Runs queued jobs: claims them per kind up to each kind's concurrency, renews their leases with
// heartbeats, passes progress and events through, and settles each job by how its handler ended.
import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import {
  addJobEvent,
  claimJob,
  completeJob,
  failJob,
  heartbeatJob,
  jobsDue,
  markJobCancelled,
  reapExpiredJobs,
  releaseJob,
  updateJobProgress,
  type Job,
  type JobEventLevel,
} from "./queue";

/** Why a running handler's signal was aborted. */
export type JobStopReason = "cancel" | "lease-lost" | "shutdown";

export interface JobContext {
  job: Job;
  db: Db;
  owner: string;
  /** Aborted on cancel, on shutdown and when the lease is lost; `stopReason()` says which. */
  signal: AbortSignal;
  stopReason(): JobStopReason | null;
  progress(progress: Record<string, unknown>): Promise<void>;
  event(level: JobEventLevel, message: string, data?: Record<string, unknown>): Promise<void>;
}

/** What the handler returns becomes the job's result (also on cancel, e.g. the last checkpoint). */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void>;

export interface JobKindOptions {
  /** Jobs of this kind run at once in this process (default 1). */
  concurrency?: number;
  /** How long a claim lasts without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** Heartbeat period (default a third of the lease, at most 2 s, so a cancel is seen quickly). */
  heartbeatMs?: number;
  /** Delay before a failed attempt is retried (default 5 s). */
  retryDelayMs?: number;
}

/** Thrown by a handler to fail the job; `retry` puts it back in the queue while attempts are left. */
export class JobFailure extends Error {
  readonly retry: boolean;
  constructor(message: string, options: { retry?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "JobFailure";
    this.retry = options.retry ?? false;
  }
}

interface Registered {
  handler: JobHandler;
  options: Required<JobKindOptions>;
}

interface Running {
  job: Job;
  controller: AbortController;
  reason: JobStopReason | null;
  done: Promise<void>;
}

export interface JobRunnerOptions {
  getDb: () => Promise<Db>;
  /** The lease owner written on claimed rows; unique per process by default. */
  owner?: string;
  /** How often to look for work when nothing pokes the runner (default 1 s). */
  pollMs?: number;
}

export class JobRunner {
  readonly owner: string;
  private readonly getDb: () => Promise<Db>;
  private readonly pollMs: number;
  private readonly kinds = new Map<string, Registered>();
  private readonly running = new Map<string, Running>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(options: JobRunnerOptions) {
    this.getDb = options.getDb;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.pollMs = options.pollMs ?? 1000;
  }

  register(kind: string, handler: JobHandler, options: JobKindOptions = {}): void {
    const leaseMs = options.leaseMs ?? 30_000;
    this.kinds.set(kind, {
      handler,
      options: {
        concurrency: options.concurrency ?? 1,
        leaseMs,
        heartbeatMs: options.heartbeatMs ?? Math.min(2000, Math.max(50, Math.floor(leaseMs / 3))),
        retryDelayMs: options.retryDelayMs ?? 5000,
      },
    });
    this.poke();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.poke();
  }

  /** Looks for work now (after an enqueue in this process) instead of at the next poll. */
  poke(): void {
    if (!this.started) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ticking = this.tick()
      .catch((error) => console.error("[kindling] job runner: looking for work failed", error))
      .finally(() => {
        this.ticking = null;
        if (!this.started) return;
        if (this.again) {
          this.again = false;
          this.poke();
        } else {
          this.timer = setTimeout(() => this.poke(), this.pollMs);
          this.timer.unref();
        }
      });
  }

  /** Ids of the jobs this process is running. */
  runningJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Stops a job running here at once (the database flag is set by cancelJob; this skips the wait for a heartbeat). */
  abortLocal(jobId: string, reason: JobStopReason = "cancel"): boolean {
    const run = this.running.get(jobId);
    if (!run) return false;
    this.stopRun(run, reason);
    return true;
  }

  /** Stops claiming, asks running handlers to stop, and hands their jobs back to the queue. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const runs = [...this.running.values()];
    for (const run of runs) this.stopRun(run, "shutdown");
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(runs.map((r) => r.done)),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
  }

  private stopRun(run: Running, reason: JobStopReason): void {
    if (run.reason) return;
    run.reason = reason;
    run.controller.abort(new Error(`job stopped: ${reason}`));
  }

  private async tick(): Promise<void> {
    if (this.kinds.size === 0) return;
    const db = await this.getDb();
    // An idle poll reads once and writes nothing (see jobsDue).
    if (!(await jobsDue(db, [...this.kinds.keys()]))) return;
    await reapExpiredJobs(db, [...this.kinds.keys()]);
    for (const [kind, reg] of this.kinds) {
      while (this.started && this.countRunning(kind) < reg.options.concurrency) {
        const job = await claimJob(db, { owner: this.owner, kinds: [kind], leaseMs: reg.options.leaseMs });
        if (!job) break;
        this.launch(db, job, reg);
      }
    }
  }

  private countRunning(kind: string): number {
    let n = 0;
    for (const run of this.running.values()) if (run.job.kind === kind) n++;
    return n;
  }

  private launch(db: Db, job: Job, reg: Registered): void {
    const controller = new AbortController();
    const run: Running = { job, controller, reason: null, done: Promise.resolve() };
    this.running.set(job.id, run);
    const heartbeat = setInterval(() => {
      heartbeatJob(db, job.id, this.owner, reg.options.leaseMs)
        .then((beat) => {
          if (!beat.held) this.stopRun(run, "lease-lost");
          else if (beat.cancelRequested) this.stopRun(run, "cancel");
        })
        .catch((error) => console.error(`[kindling] job ${job.id}: heartbeat failed`, error));
    }, reg.options.heartbeatMs);
    heartbeat.unref();
    // Progress writes go one after another, in the order reported, and the job settles after the last:
    // a handler that does not await them (eval runs) would otherwise see an earlier write, on another
    // pooled connection, land after a later one and leave a finished job at 1 of 12.
    let progressWrites: Promise<unknown> = Promise.resolve();
    const ctx: JobContext = {
      job,
      db,
      owner: this.owner,
      signal: controller.signal,
      stopReason: () => run.reason,
      progress: (progress) => {
        const write = progressWrites.then(async () => {
          if (!(await updateJobProgress(db, job.id, this.owner, progress))) this.stopRun(run, "lease-lost");
        });
        progressWrites = write.catch(() => {});
        return write;
      },
      event: (level, message, data) => addJobEvent(db, job.id, level, message, data),
    };
    run.done = (async () => {
      let outcome: { ok: true; result: Record<string, unknown> } | { ok: false; error: unknown };
      try {
        if (job.attempts > 1) await ctx.event("info", `Attempt ${job.attempts} of ${job.maxAttempts}`);
        else await ctx.event("info", "Started");
        outcome = { ok: true, result: (await reg.handler(ctx)) ?? {} };
      } catch (error) {
        outcome = { ok: false, error };
      }
      clearInterval(heartbeat);
      await progressWrites;
      try {
        await this.settle(db, run, reg, outcome);
      } catch (error) {
        console.error(`[kindling] job ${job.id}: recording its end failed; its lease will expire and it will run again`, error);
      } finally {
        this.running.delete(job.id);
        this.poke();
      }
    })();
  }

  private async settle(
    db: Db,
    run: Running,
    reg: Registered,
    outcome: { ok: true; result: Record<string, unknown> } | { ok: false; error: unknown },
  ): Promise<void> {
    const { job } = run;
    if (run.reason === "lease-lost") return;
    if (run.reason === "shutdown") {
      await releaseJob(db, job.id, this.owner);
      return;
    }
    if (run.reason === "cancel") {
      await markJobCancelled(db, job.id, this.owner, outcome.ok ? outcome.result : undefined);
      return;
    }
    if (outcome.ok) {
      await completeJob(db, job.id, this.owner, outcome.result);
      return;
    }
    const error = outcome.error;
    const message = error instanceof Error ? error.message : String(error);
    // Bad input will not improve on retry; a crash or an unexpected error might.
    const retry = error instanceof JobFailure ? error.retry : !(error instanceof AppError);
    if (!(error instanceof JobFailure) && !(error instanceof AppError)) console.error(`[kindling] job ${job.id} (${job.kind}) failed`, error);
    await failJob(db, job.id, this.owner, message, { retry, retryDelayMs: reg.options.retryDelayMs });
  }
}
