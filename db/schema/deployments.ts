// Deployments: the desired state (what admins ask for), the replicas the reconciler runs, what
// happened to them (events), and samples of their measured load (for charts and the list's figures).
import { bigserial, doublePrecision, index, integer, jsonb, pgTable, real, text, timestamp } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { user } from "./auth";
import { models } from "./models";

export const DEPLOYMENT_STATUSES = ["running", "paused"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export interface DeploymentAdapter {
  /** Addressable as `<deployment>:<name>`. */
  name: string;
  /** File name (without .gguf) of a LoRA adapter in the models directory. */
  file: string;
  scale: number;
}

export interface DeploymentEngineSettings {
  threads: number;
  parallel: number;
  contextSize: number | null;
}

export const deployments = pgTable("deployments", {
  id: text("id").primaryKey(),
  /** A slug; the model id apps send to the gateway. */
  name: text("name").notNull().unique(),
  modelId: text("model_id")
    .notNull()
    .references(() => models.id, { onDelete: "restrict" }),
  adapters: jsonb("adapters").$type<DeploymentAdapter[]>().notNull().default(sql`'[]'::jsonb`),
  engine: jsonb("engine").$type<DeploymentEngineSettings>().notNull(),
  minReplicas: integer("min_replicas").notNull(),
  maxReplicas: integer("max_replicas").notNull(),
  targetConcurrency: real("target_concurrency").notNull(),
  scaleUpWindowS: integer("scale_up_window_s").notNull(),
  scaleDownWindowS: integer("scale_down_window_s").notNull(),
  /** Idle seconds before scaling to zero; only used when min_replicas is 0. */
  scaleToZeroAfterS: integer("scale_to_zero_after_s"),
  failoverModelId: text("failover_model_id").references(() => models.id, { onDelete: "set null" }),
  status: text("status", { enum: DEPLOYMENT_STATUSES }).notNull().default("running"),
  /** The autoscaler's current target, kept between min and max (0 when scaled to zero). */
  desiredReplicas: integer("desired_replicas").notNull(),
  /** Bumped by every settings change: replicas of an older generation are rolled. */
  generation: integer("generation").notNull().default(1),
  /** Last time a request was routed here; scale to zero counts idle time from it. */
  lastRequestAt: timestamp("last_request_at", { withTimezone: true }),
  createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const REPLICA_STATES = ["starting", "ready", "restarting", "draining", "failed", "stopped"] as const;
export type ReplicaState = (typeof REPLICA_STATES)[number];

/** The reconciler's record of each replica it ran; rows of stopped replicas are kept for the page a while. */
export const deploymentReplicas = pgTable(
  "deployment_replicas",
  {
    id: text("id").primaryKey(),
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    generation: integer("generation").notNull(),
    state: text("state", { enum: REPLICA_STATES }).notNull(),
    pid: integer("pid"),
    port: integer("port"),
    restarts: integer("restarts").notNull().default(0),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    readyAt: timestamp("ready_at", { withTimezone: true }),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  },
  (t) => [index("deployment_replicas_deployment_idx").on(t.deploymentId, t.state)],
);

export const DEPLOYMENT_EVENT_KINDS = [
  "created",
  "settings_changed",
  "paused",
  "resumed",
  "deleted",
  "replica_started",
  "replica_ready",
  "replica_exited",
  "replica_restarted",
  "replica_failed",
  "replica_stopped",
  "scaled",
  "scaled_to_zero",
  "cold_start",
  "rolled",
  "failover_used",
] as const;
export type DeploymentEventKind = (typeof DEPLOYMENT_EVENT_KINDS)[number];

/** Kept after a deployment is deleted (set null), with its name, so "deleted" can still be read. */
export const deploymentEvents = pgTable(
  "deployment_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deploymentId: text("deployment_id").references(() => deployments.id, { onDelete: "set null" }),
    deploymentName: text("deployment_name").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    kind: text("kind", { enum: DEPLOYMENT_EVENT_KINDS }).notNull(),
    message: text("message").notNull(),
    replicaId: text("replica_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("deployment_events_deployment_idx").on(t.deploymentId, t.id)],
);

/** One row per deployment every sampling interval, scraped from its replicas' /metrics. */
export const deploymentSamples = pgTable(
  "deployment_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** Seconds covered by the deltas below. */
    intervalS: doublePrecision("interval_s").notNull(),
    readyReplicas: integer("ready_replicas").notNull(),
    desiredReplicas: integer("desired_replicas").notNull(),
    /** Active plus queued sequences summed over ready replicas at the sample time. */
    concurrency: doublePrecision("concurrency").notNull(),
    requests: integer("requests").notNull(),
    errors: integer("errors").notNull(),
    /** Time-to-first-token histogram of the interval: counts per engine bucket (lib/deployments/metrics.ts), not cumulative. */
    ttftBuckets: jsonb("ttft_buckets").$type<number[]>().notNull(),
  },
  (t) => [index("deployment_samples_deployment_at_idx").on(t.deploymentId, t.at)],
);

export type Deployment = typeof deployments.$inferSelect;
export type NewDeployment = typeof deployments.$inferInsert;
export type DeploymentReplica = typeof deploymentReplicas.$inferSelect;
export type DeploymentEvent = typeof deploymentEvents.$inferSelect;
export type DeploymentSample = typeof deploymentSamples.$inferSelect;
