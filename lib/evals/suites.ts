// Eval suites and runs in the database: create, list, read, cancel. The runner lives in runner.ts.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { evalCases, evalResults, evalRuns, evalSuites, jobs, models, type EvalRun, type EvalSuite } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { listRegisteredModels } from "@/lib/inference/resolve";
import { cancelJob, enqueueJob } from "@/lib/jobs/queue";
import type { EvalCase } from "./cases";
import { checkGrader, type GraderSpec } from "./graders";
import type { ResultRow } from "./summary";

export interface NewSuite {
  name: string;
  description?: string;
  source: "dataset" | "upload" | "manual";
  graders: GraderSpec[];
  cases: EvalCase[];
}

export async function createSuite(db: Db, input: NewSuite, userId: string | null): Promise<EvalSuite> {
  for (const [i, g] of input.graders.entries()) {
    const problem = checkGrader(g);
    if (problem) throw new AppError("VALIDATION", problem, { fieldErrors: { [`graders.${i}`]: [problem] } });
  }
  if (input.graders.length === 0) throw new AppError("VALIDATION", "Choose at least one grader.", { fieldErrors: { graders: ["Choose at least one grader."] } });
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: evalSuites.id }).from(evalSuites).where(eq(evalSuites.name, input.name));
    if (existing) throw new AppError("CONFLICT", `A suite named ${input.name} already exists.`, { fieldErrors: { name: ["That name is taken."] } });
    const [suite] = await tx
      .insert(evalSuites)
      .values({ id: randomUUID(), name: input.name, description: input.description ?? "", source: input.source, graders: input.graders, caseCount: input.cases.length, createdBy: userId })
      .returning();
    for (let i = 0; i < input.cases.length; i += 500) {
      await tx.insert(evalCases).values(input.cases.slice(i, i + 500).map((c, j) => ({ suiteId: suite.id, idx: i + j, messages: c.messages, expected: c.expected })));
    }
    return suite;
  });
}

export async function listSuites(db: Tx): Promise<EvalSuite[]> {
  return db.select().from(evalSuites).orderBy(desc(evalSuites.createdAt));
}

export async function getSuite(db: Tx, idOrName: string): Promise<EvalSuite | null> {
  const [byId] = await db.select().from(evalSuites).where(eq(evalSuites.id, idOrName));
  if (byId) return byId;
  const [byName] = await db.select().from(evalSuites).where(eq(evalSuites.name, idOrName));
  return byName ?? null;
}

export async function listCases(db: Tx, suiteId: string): Promise<(EvalCase & { idx: number })[]> {
  return db.select({ idx: evalCases.idx, messages: evalCases.messages, expected: evalCases.expected }).from(evalCases).where(eq(evalCases.suiteId, suiteId)).orderBy(asc(evalCases.idx));
}

/** An eval run is carried by a job of this kind (same id as the run): lease, heartbeats, resume. */
export const EVAL_RUN_JOB_KIND = "eval-run";

/** Creates the run and queues its job in one transaction; the job runner of any console runs it. */
export async function createRun(
  db: Db,
  input: { suiteId: string; modelIds: string[]; concurrency?: number; params?: EvalRun["params"] },
  userId: string | null,
): Promise<EvalRun> {
  const suite = await getSuite(db, input.suiteId);
  if (!suite) throw new AppError("NOT_FOUND", "That suite does not exist.");
  const ids = [...new Set(input.modelIds)];
  if (ids.length === 0) throw new AppError("VALIDATION", "Choose at least one model.", { fieldErrors: { modelIds: ["Choose at least one model."] } });
  const found = await db.select({ id: models.id }).from(models).where(inArray(models.id, ids));
  // Deployments and their adapters are not catalogue rows: they run under the names their resolver serves.
  const served = new Set((await listRegisteredModels(db)).map((m) => m.id));
  const missing = ids.filter((id) => !found.some((f) => f.id === id) && !served.has(id));
  if (missing.length) {
    const message = `Unknown model: ${missing.join(", ")}. Choose models listed on /evals (the catalogue, deployments and their adapters).`;
    throw new AppError("VALIDATION", message, { fieldErrors: { modelIds: [message] } });
  }
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(evalRuns)
      .values({
        id: randomUUID(),
        suiteId: suite.id,
        models: ids,
        graders: suite.graders,
        params: input.params ?? { temperature: 0, max_tokens: 256 },
        concurrency: Math.min(Math.max(input.concurrency ?? 2, 1), 16),
        total: suite.caseCount * ids.length,
        createdBy: userId,
      })
      .returning();
    await enqueueJob(tx, { kind: EVAL_RUN_JOB_KIND, id: run.id, payload: { runId: run.id }, createdBy: userId });
    return run;
  });
}

export async function getRun(db: Tx, runId: string): Promise<(EvalRun & { suiteName: string; done: number }) | null> {
  const [row] = await db.select({ run: evalRuns, suiteName: evalSuites.name }).from(evalRuns).innerJoin(evalSuites, eq(evalSuites.id, evalRuns.suiteId)).where(eq(evalRuns.id, runId));
  if (!row) return null;
  const done = await db.$count(evalResults, eq(evalResults.runId, runId));
  return { ...row.run, suiteName: row.suiteName, done };
}

export async function listRuns(db: Tx, limit = 50): Promise<(EvalRun & { suiteName: string })[]> {
  const rows = await db.select({ run: evalRuns, suiteName: evalSuites.name }).from(evalRuns).innerJoin(evalSuites, eq(evalSuites.id, evalRuns.suiteId)).orderBy(desc(evalRuns.createdAt)).limit(limit);
  return rows.map((r) => ({ ...r.run, suiteName: r.suiteName }));
}

/** Marks a queued or running run cancelled, and its job: a running handler stops within a heartbeat. */
export async function cancelRun(db: Db, runId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(evalRuns)
      .set({ status: "cancelled", finishedAt: new Date() })
      .where(and(eq(evalRuns.id, runId), inArray(evalRuns.status, ["queued", "running"])))
      .returning({ id: evalRuns.id });
    if (rows.length === 0) return false;
    const [job] = await tx.select({ status: jobs.status }).from(jobs).where(and(eq(jobs.id, runId), eq(jobs.kind, EVAL_RUN_JOB_KIND)));
    if (job && (job.status === "queued" || job.status === "running")) await cancelJob(tx, runId, { kind: EVAL_RUN_JOB_KIND });
    return true;
  });
}

export async function listResultRows(db: Tx, runId: string): Promise<(ResultRow & { output: string; grades: { type: string; score: number; reason: string }[]; error: string | null; requestId: string | null })[]> {
  const rows = await db.select().from(evalResults).where(eq(evalResults.runId, runId)).orderBy(asc(evalResults.caseIdx), asc(evalResults.modelId));
  return rows.map((r) => ({
    modelId: r.modelId,
    modelName: r.modelName,
    caseIdx: r.caseIdx,
    score: r.score,
    status: r.status,
    ttftMs: r.ttftMs,
    totalMs: r.totalMs,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd === null ? null : Number(r.costUsd),
    output: r.output,
    grades: r.grades,
    error: r.error,
    requestId: r.requestId,
  }));
}

/**
 * Catalogue ids for model names (or ids) as a person types them, e.g. on the command line; a deployment
 * (or `<deployment>:<adapter>`) is run under its own name.
 */
export async function resolveModelIds(db: Db, namesOrIds: string[]): Promise<string[]> {
  const [rows, served] = await Promise.all([
    db.select({ id: models.id, name: models.name, displayName: models.displayName }).from(models),
    listRegisteredModels(db),
  ]);
  return namesOrIds.map((n) => {
    const hit = rows.find((r) => r.id === n) ?? rows.find((r) => r.name === n) ?? rows.find((r) => r.displayName === n) ?? served.find((m) => m.id === n);
    if (!hit) {
      const known = [...rows.map((r) => r.name), ...served.map((m) => m.id)];
      const message = `No model named ${n} in the catalogue (known: ${known.join(", ") || "none"}).`;
      throw new AppError("VALIDATION", message, { fieldErrors: { models: [message] } });
    }
    return hit.id;
  });
}
