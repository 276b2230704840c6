// The reconciler's record of each replica it ran (pid, port, state, restarts).
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { id, timestamptz, parentId } from "./columns";
import { deployments } from "./deployments";

export const REPLICA_STATES = ["starting", "ready", "restarting", "draining", "failed", "stopped"] as const;
export type ReplicaState = (typeof REPLICA_STATES)[number];

/** The reconciler's record of each replica it ran; rows of stopped replicas are kept for the page a while. */
export const deploymentReplicas = pgTable(
  "deployment_replicas",
  {
    id: id(),
    deploymentId: parentId("deployment_id", () => deployments.id),
    generation: integer("generation").notNull(),
    state: text("state", { enum: REPLICA_STATES }).notNull(),
    pid: integer("pid"),
    port: integer("port"),
    restarts: integer("restarts").notNull().default(0),
    error: text("error"),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    readyAt: timestamptz("ready_at"),
    stoppedAt: timestamptz("stopped_at"),
  },
  (t) => [index("deployment_replicas_deployment_idx").on(t.deploymentId, t.state)],
);

export type DeploymentReplica = typeof deploymentReplicas.$inferSelect;
