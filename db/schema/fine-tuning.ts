// What a fine-tuning job (a `jobs` row of kind "fine-tune") leaves behind as it runs: its loss
// curve, one point per reported step, and the checkpoints the trainer saved.
import { bigint, doublePrecision, integer, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { timestamptz, parentId } from "./columns";
import { jobs } from "./jobs";

export const fineTuningMetrics = pgTable(
  "fine_tuning_metrics",
  {
    jobId: parentId("job_id", () => jobs.id),
    step: integer("step").notNull(),
    epoch: doublePrecision("epoch").notNull(),
    trainLoss: doublePrecision("train_loss").notNull(),
    valLoss: doublePrecision("val_loss"),
    learningRate: doublePrecision("learning_rate").notNull(),
    tokens: bigint("tokens", { mode: "number" }).notNull(),
    tokensPerSecond: doublePrecision("tokens_per_second").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.step] })],
);

export const fineTuningCheckpoints = pgTable(
  "fine_tuning_checkpoints",
  {
    jobId: parentId("job_id", () => jobs.id),
    step: integer("step").notNull(),
    trainLoss: doublePrecision("train_loss").notNull(),
    valLoss: doublePrecision("val_loss"),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.step] })],
);

export type FineTuningMetric = typeof fineTuningMetrics.$inferSelect;
export type FineTuningCheckpoint = typeof fineTuningCheckpoints.$inferSelect;
