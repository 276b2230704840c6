// What happened to a deployment, one sentence per event.
import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { serialId, timestamptz, weakRef } from "./columns";
import { deployments } from "./deployments";

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
    id: serialId(),
    deploymentId: weakRef("deployment_id", () => deployments.id),
    deploymentName: text("deployment_name").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
    kind: text("kind", { enum: DEPLOYMENT_EVENT_KINDS }).notNull(),
    message: text("message").notNull(),
    replicaId: text("replica_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("deployment_events_deployment_idx").on(t.deploymentId, t.id)],
);

export type DeploymentEvent = typeof deploymentEvents.$inferSelect;
