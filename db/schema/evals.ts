// Eval suites (cases plus graders), runs over several models, and every case's result per model.
import { doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { id, timestamptz, createdAt, parentId, weakRef } from "./columns";
import { user } from "./auth";

export const EVAL_SUITE_SOURCES = ["dataset", "upload", "manual"] as const;
export const EVAL_RUN_STATUSES = ["queued", "running", "done", "cancelled", "failed"] as const;
export type EvalRunStatus = (typeof EVAL_RUN_STATUSES)[number];

export const evalSuites = pgTable("eval_suites", {
  id: id(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  source: text("source", { enum: EVAL_SUITE_SOURCES }).notNull(),
  /** GraderSpec[] (lib/evals/graders.ts): a case's score is the mean of its graders' scores. */
  graders: jsonb("graders").$type<unknown[]>().notNull(),
  caseCount: integer("case_count").notNull(),
  createdBy: weakRef("created_by", () => user.id),
  createdAt: createdAt(),
});

export const evalCases = pgTable(
  "eval_cases",
  {
    suiteId: parentId("suite_id", () => evalSuites.id),
    idx: integer("idx").notNull(),
    messages: jsonb("messages").$type<{ role: "system" | "user" | "assistant"; content: string }[]>().notNull(),
    expected: text("expected").notNull(),
  },
  (t) => [primaryKey({ columns: [t.suiteId, t.idx] })],
);

export const evalRuns = pgTable(
  "eval_runs",
  {
    id: id(),
    suiteId: parentId("suite_id", () => evalSuites.id),
    /** Catalogue model ids, in the order they were chosen. */
    models: jsonb("models").$type<string[]>().notNull(),
    /** The suite's graders when the run started: editing a suite later does not rewrite old runs. */
    graders: jsonb("graders").$type<unknown[]>().notNull(),
    params: jsonb("params").$type<{ temperature?: number; max_tokens?: number; seed?: number }>().notNull().default({}),
    concurrency: integer("concurrency").notNull().default(2),
    status: text("status", { enum: EVAL_RUN_STATUSES }).notNull().default("queued"),
    total: integer("total").notNull(),
    error: text("error"),
    createdBy: weakRef("created_by", () => user.id),
    createdAt: createdAt(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [index("eval_runs_status_idx").on(t.status)],
);

export const evalResults = pgTable(
  "eval_results",
  {
    runId: parentId("run_id", () => evalRuns.id),
    modelId: text("model_id").notNull(),
    modelName: text("model_name").notNull(),
    caseIdx: integer("case_idx").notNull(),
    output: text("output").notNull().default(""),
    /** One entry per grader: { type, score 0..1, reason }. */
    grades: jsonb("grades").$type<{ type: string; score: number; reason: string }[]>().notNull().default([]),
    score: doublePrecision("score").notNull(),
    status: text("status", { enum: ["ok", "error"] }).notNull(),
    error: text("error"),
    ttftMs: doublePrecision("ttft_ms"),
    totalMs: doublePrecision("total_ms"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: numeric("cost_usd", { precision: 18, scale: 10 }),
    /** The usage row of the call (usage_events.request_id). */
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.modelId, t.caseIdx] })],
);

export type EvalSuite = typeof evalSuites.$inferSelect;
export type EvalRun = typeof evalRuns.$inferSelect;
export type EvalResult = typeof evalResults.$inferSelect;
