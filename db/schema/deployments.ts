// Deployments: the desired state (what admins ask for), the replicas the reconciler runs, what
// happened to them (events), and samples of their measured load (for charts and the list's figures).
import { integer, jsonb, pgTable, real, text } from "drizzle-orm/pg-core";
import { id, timestamptz, createdAt, updatedAt, weakRef } from "./columns";
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
  id: id(),
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
  failoverModelId: weakRef("failover_model_id", () => models.id),
  status: text("status", { enum: DEPLOYMENT_STATUSES }).notNull().default("running"),
  /** The autoscaler's current target, kept between min and max (0 when scaled to zero). */
  desiredReplicas: integer("desired_replicas").notNull(),
  /** Bumped by every settings change: replicas of an older generation are rolled. */
  generation: integer("generation").notNull().default(1),
  /** Last time a request was routed here; scale to zero counts idle time from it. */
  lastRequestAt: timestamptz("last_request_at"),
  createdBy: weakRef("created_by", () => user.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type Deployment = typeof deployments.$inferSelect;
export type NewDeployment = typeof deployments.$inferInsert;
