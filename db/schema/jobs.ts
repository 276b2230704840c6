// The durable job queue (lib/jobs): one row per unit of background work, claimed under a lease that
// the running console renews; a job whose console died is claimed again once its lease expires.
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { id, serialId, timestamptz, createdAt, updatedAt, parentId, weakRef } from "./columns";
import { user } from "./auth";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    /** Chooses the handler, e.g. "fine-tune" or "eval-run". */
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    /** Higher first; ties in order of creation. */
    priority: integer("priority").notNull().default(0),
    /** Incremented by every claim, including one that takes over an expired lease. */
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    /** Not claimable before this time (retry backoff). */
    runAfter: timestamptz("run_after").notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamptz("lease_expires_at"),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** The handler's latest progress, free-form per kind. */
    progress: jsonb("progress").$type<Record<string, unknown>>(),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    createdBy: weakRef("created_by", () => user.id),
    createdAt: createdAt(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The claim scans only live rows.
    index("jobs_claim_idx").on(t.kind, t.status, t.priority, t.createdAt).where(sql`status in ('queued', 'running')`),
    index("jobs_created_idx").on(t.createdAt),
  ],
);

export const JOB_EVENT_LEVELS = ["info", "warn", "error"] as const;
export type JobEventLevel = (typeof JOB_EVENT_LEVELS)[number];

export const jobEvents = pgTable(
  "job_events",
  {
    id: serialId(),
    jobId: parentId("job_id", () => jobs.id),
    at: timestamptz("at").notNull().defaultNow(),
    level: text("level", { enum: JOB_EVENT_LEVELS }).notNull().default("info"),
    message: text("message").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>(),
  },
  (t) => [index("job_events_job_idx").on(t.jobId, t.id)],
);

export type Job = typeof jobs.$inferSelect;
export type NewJob = typeof jobs.$inferInsert;
export type JobEvent = typeof jobEvents.$inferSelect;
