// The durable job queue: rows in `jobs`, claimed with FOR UPDATE SKIP LOCKED under a lease (owner +
// expiry on the database clock) that the runner renews. Every write by a runner names its lease
// owner, so a runner that lost its lease (it stalled, another instance took the job over) can no
// longer change the job. Works the same on PGlite and on a PostgreSQL server shared by several consoles.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobEvents, jobs, type Job, type JobEvent, type JobEventLevel, type JobStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type { Job, JobEvent, JobEventLevel, JobStatus };

export const TERMINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

export interface EnqueueInput {
  kind: string;
  payload: Record<string, unknown>;
  id?: string;
  priority?: number;
  maxAttempts?: number;
  createdBy?: string | null;
}

export async function enqueueJob(db: Tx, input: EnqueueInput): Promise<Job> {
  const [job] = await db
    .insert(jobs)
    .values({
      id: input.id ?? randomUUID(),
      kind: input.kind,
      payload: input.payload,
      priority: input.priority ?? 0,
      maxAttempts: input.maxAttempts ?? 3,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  await addJobEvent(db, job.id, "info", "Queued");
  return job;
}

const leaseUntil = (leaseMs: number) => sql`now() + (${Math.max(1, Math.round(leaseMs))}::integer * interval '1 millisecond')`;

/**
 * Whether any job of `kinds` is due: queued with its time come, or running with its lease expired (to
 * claim again or to reap). One read, so that the runner's idle poll writes nothing: on embedded PGlite
 * the reap and claim updates of an empty poll took 5-6 ms of the console's thread every second.
 */
export async function jobsDue(db: Tx, kinds: string[]): Promise<boolean> {
  if (kinds.length === 0) return false;
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.kind, kinds),
        or(and(eq(jobs.status, "queued"), sql`${jobs.runAfter} <= now()`), and(eq(jobs.status, "running"), sql`${jobs.leaseExpiresAt} < now()`)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Claims the next job of one of `kinds` for `owner`: a queued job whose time has come, or a running
 * job whose lease expired (its console died) and that has attempts left. One statement; concurrent
 * claimers skip each other's locked rows, so no job is handed out twice.
 */
export async function claimJob(db: Tx, options: { owner: string; kinds: string[]; leaseMs: number }): Promise<Job | null> {
  if (options.kinds.length === 0) return null;
  const claimable = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.kind, options.kinds),
        or(
          and(eq(jobs.status, "queued"), sql`${jobs.runAfter} <= now()`),
          and(
            eq(jobs.status, "running"),
            sql`${jobs.leaseExpiresAt} < now()`,
            eq(jobs.cancelRequested, false),
            lt(jobs.attempts, jobs.maxAttempts),
          ),
        ),
      ),
    )
    .orderBy(desc(jobs.priority), asc(jobs.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [job] = await db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      leaseOwner: options.owner,
      leaseExpiresAt: leaseUntil(options.leaseMs),
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(inArray(jobs.id, claimable))
    .returning();
  return job ?? null;
}

const ownedBy = (id: string, owner: string): SQL => and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running"))!;

export interface HeartbeatResult {
  /** False when the job is no longer this owner's (lease taken over, or finished elsewhere). */
  held: boolean;
  cancelRequested: boolean;
}

/** Renews the lease; tells the runner whether it still holds the job and whether a cancel was asked for. */
export async function heartbeatJob(db: Tx, id: string, owner: string, leaseMs: number): Promise<HeartbeatResult> {
  const [row] = await db
    .update(jobs)
    .set({ leaseExpiresAt: leaseUntil(leaseMs), updatedAt: sql`now()` })
    .where(ownedBy(id, owner))
    .returning({ cancelRequested: jobs.cancelRequested });
  return row ? { held: true, cancelRequested: row.cancelRequested } : { held: false, cancelRequested: false };
}

/** Stores the handler's latest progress; false when the lease is no longer held. */
export async function updateJobProgress(db: Tx, id: string, owner: string, progress: Record<string, unknown>): Promise<boolean> {
  const rows = await db.update(jobs).set({ progress, updatedAt: sql`now()` }).where(ownedBy(id, owner)).returning({ id: jobs.id });
  return rows.length > 0;
}

export async function completeJob(db: Tx, id: string, owner: string, result: Record<string, unknown> = {}): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "succeeded", result, leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(ownedBy(id, owner))
    .returning({ id: jobs.id });
  if (rows.length) await addJobEvent(db, id, "info", "Succeeded");
  return rows.length > 0;
}

/**
 * Records a failure. With `retry` and attempts left, the job goes back to the queue after
 * `retryDelayMs`; otherwise it is failed for good.
 */
export async function failJob(
  db: Tx,
  id: string,
  owner: string,
  error: string,
  options: { retry?: boolean; retryDelayMs?: number } = {},
): Promise<JobStatus | null> {
  const retry = options.retry ?? false;
  const delay = Math.max(0, Math.round(options.retryDelayMs ?? 0));
  const [row] = await db
    .update(jobs)
    .set({
      status: retry ? sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then 'queued' else 'failed' end` : "failed",
      error,
      leaseOwner: null,
      leaseExpiresAt: null,
      runAfter: sql`now() + (${delay}::integer * interval '1 millisecond')`,
      finishedAt: retry ? sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then null else now() end` : sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(ownedBy(id, owner))
    .returning({ status: jobs.status });
  if (!row) return null;
  await addJobEvent(db, id, row.status === "failed" ? "error" : "warn", row.status === "failed" ? `Failed: ${error}` : `Attempt failed, will retry: ${error}`);
  return row.status;
}

/** The runner stopped this job because a cancel was asked for. */
export async function markJobCancelled(db: Tx, id: string, owner: string, result?: Record<string, unknown>): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "cancelled", ...(result ? { result } : {}), leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(ownedBy(id, owner))
    .returning({ id: jobs.id });
  if (rows.length) await addJobEvent(db, id, "info", "Cancelled");
  return rows.length > 0;
}

/**
 * Hands a running job back to the queue at once (the console is shutting down): the attempt does
 * not count, and any instance may claim it without waiting for the lease to expire.
 */
export async function releaseJob(db: Tx, id: string, owner: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: "queued",
      attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
      leaseOwner: null,
      leaseExpiresAt: null,
      runAfter: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(ownedBy(id, owner))
    .returning({ id: jobs.id });
  if (rows.length) await addJobEvent(db, id, "info", "Released on shutdown; will resume");
  return rows.length > 0;
}

/**
 * Asks for a job to stop. A queued job is cancelled at once; a running one is flagged and its runner
 * stops it at the next heartbeat. A job that has already finished is a CONFLICT naming its status.
 */
export async function cancelJob(db: Tx, id: string, scope: { kind?: string } = {}): Promise<Job> {
  const where = scope.kind ? and(eq(jobs.id, id), eq(jobs.kind, scope.kind)) : eq(jobs.id, id);
  const [queued] = await db
    .update(jobs)
    .set({ status: "cancelled", cancelRequested: true, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(where, eq(jobs.status, "queued")))
    .returning();
  if (queued) {
    await addJobEvent(db, id, "info", "Cancelled before it started");
    return queued;
  }
  const [running] = await db
    .update(jobs)
    .set({ cancelRequested: true, updatedAt: sql`now()` })
    .where(and(where, eq(jobs.status, "running"), eq(jobs.cancelRequested, false)))
    .returning();
  if (running) {
    await addJobEvent(db, id, "info", "Cancel requested");
    return running;
  }
  const [current] = await db.select().from(jobs).where(where);
  if (!current) throw new AppError("NOT_FOUND", "There is no such job.");
  if (current.status === "running") return current; // a cancel is already on its way
  throw new AppError("CONFLICT", `The job has already ${current.status === "cancelled" ? "been cancelled" : current.status}.`);
}

/**
 * Settles running jobs whose lease expired and that no claim will take: a cancel was asked for
 * (cancelled), or no attempts are left (failed). Returns how many it settled.
 */
export async function reapExpiredJobs(db: Tx, kinds?: string[]): Promise<number> {
  const base = and(eq(jobs.status, "running"), sql`${jobs.leaseExpiresAt} < now()`, kinds ? inArray(jobs.kind, kinds) : undefined);
  const cancelled = await db
    .update(jobs)
    .set({ status: "cancelled", leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(base, eq(jobs.cancelRequested, true)))
    .returning({ id: jobs.id });
  const failed = await db
    .update(jobs)
    .set({
      status: "failed",
      error: sql`coalesce(${jobs.error}, 'The console running it stopped ' || ${jobs.attempts} || ' times; no attempts left.')`,
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(base, sql`${jobs.attempts} >= ${jobs.maxAttempts}`))
    .returning({ id: jobs.id });
  for (const { id } of cancelled) await addJobEvent(db, id, "info", "Cancelled");
  for (const { id } of failed) await addJobEvent(db, id, "error", "Failed: its console stopped and no attempts are left");
  return cancelled.length + failed.length;
}

export async function addJobEvent(db: Tx, jobId: string, level: JobEventLevel, message: string, data?: Record<string, unknown>): Promise<void> {
  await db.insert(jobEvents).values({ jobId, level, message, data: data ?? null });
}

export async function listJobEvents(db: Tx, jobId: string, options: { afterId?: number; limit?: number } = {}): Promise<JobEvent[]> {
  return db
    .select()
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), options.afterId ? gt(jobEvents.id, options.afterId) : undefined))
    .orderBy(asc(jobEvents.id))
    .limit(options.limit ?? 500);
}

export async function getJob(db: Tx, id: string, scope: { kind?: string } = {}): Promise<Job | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), scope.kind ? eq(jobs.kind, scope.kind) : undefined));
  return row ?? null;
}

export async function listJobs(db: Tx, options: { kind?: string; statuses?: JobStatus[]; limit?: number } = {}): Promise<Job[]> {
  return db
    .select()
    .from(jobs)
    .where(
      and(options.kind ? eq(jobs.kind, options.kind) : undefined, options.statuses?.length ? inArray(jobs.status, options.statuses) : undefined),
    )
    .orderBy(desc(jobs.createdAt))
    .limit(options.limit ?? 100);
}
