// What a fine-tuning job (a `jobs` row of kind "fine-tune") leaves behind as it runs: its loss
// curve, one point per reported step, and the checkpoints the trainer saved.
import { bigint, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { jobs } from "./jobs";

export const fineTuningMetrics = pgTable(
  "fine_tuning_metrics",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    step: integer("step").notNull(),
    epoch: doublePrecision("epoch").notNull(),
    trainLoss: doublePrecision("train_loss").notNull(),
    valLoss: doublePrecision("val_loss"),
    learningRate: doublePrecision("learning_rate").notNull(),
    tokens: bigint("tokens", { mode: "number" }).notNull(),
    tokensPerSecond: doublePrecision("tokens_per_second").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.step] })],
);

export const fineTuningCheckpoints = pgTable(
  "fine_tuning_checkpoints",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    step: integer("step").notNull(),
    trainLoss: doublePrecision("train_loss").notNull(),
    valLoss: doublePrecision("val_loss"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.step] })],
);

export type FineTuningMetric = typeof fineTuningMetrics.$inferSelect;
export type FineTuningCheckpoint = typeof fineTuningCheckpoints.$inferSelect;
