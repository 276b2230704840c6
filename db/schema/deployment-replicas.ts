// The reconciler's record of each replica it ran (pid, port, state, restarts).
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { deployments } from "./deployments";

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

export type DeploymentReplica = typeof deploymentReplicas.$inferSelect;
