// Measured load of a deployment, sampled from its replicas' /metrics.
import { doublePrecision, index, integer, jsonb, pgTable } from "drizzle-orm/pg-core";
import { serialId, timestamptz, parentId } from "./columns";
import { deployments } from "./deployments";

/** One row per deployment every sampling interval, scraped from its replicas' /metrics. */
export const deploymentSamples = pgTable(
  "deployment_samples",
  {
    id: serialId(),
    deploymentId: parentId("deployment_id", () => deployments.id),
    at: timestamptz("at").notNull(),
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

export type DeploymentSample = typeof deploymentSamples.$inferSelect;
