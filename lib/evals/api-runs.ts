// The evals management API over the same functions the /evals page uses: a run on a stored suite or
// on cases sent with the request, read back with its per-model summary, cancelled.
import "server-only";
import type { Db } from "@/db/client";
import { AppError, validationError } from "@/lib/errors";
import { pokeJobRunner } from "@/lib/jobs/registry";
import { createRunBodySchema, toApiSummary, type ApiEvalRun } from "./api";
import { createRun, createSuite, getRun, getSuite, listResultRows, resolveModelIds } from "./suites";
import { summarizeRun } from "./summary";

export async function createApiRun(db: Db, userId: string, body: unknown): Promise<ApiEvalRun> {
  const parsed = createRunBodySchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const b = parsed.data;
  const modelIds = await resolveModelIds(db, b.models);
  let suiteId: string;
  if (b.suite) {
    const suite = await getSuite(db, b.suite);
    if (!suite) throw new AppError("VALIDATION", `There is no suite named ${b.suite}.`, { fieldErrors: { suite: [`There is no suite named ${b.suite}.`] } });
    suiteId = suite.id;
  } else {
    const name = b.suite_name ?? `api ${new Date().toISOString()}`;
    suiteId = (await createSuite(db, { name, source: "upload", graders: b.graders!, cases: b.cases! }, userId)).id;
  }
  const run = await createRun(db, { suiteId, modelIds, concurrency: b.concurrency, params: { temperature: b.temperature, max_tokens: b.max_tokens } }, userId);
  pokeJobRunner();
  return (await getApiRun(db, run.id))!;
}

export async function getApiRun(db: Db, runId: string): Promise<ApiEvalRun | null> {
  const run = await getRun(db, runId);
  if (!run) return null;
  const summaries = summarizeRun(await listResultRows(db, runId), run.models);
  return {
    object: "eval.run",
    id: run.id,
    suite: { id: run.suiteId, name: run.suiteName },
    status: run.status,
    models: summaries.map((s) => s.modelName),
    total: run.total,
    done: run.done,
    concurrency: run.concurrency,
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    summary: summaries.map(toApiSummary),
  };
}
