// Read models for /evals: the overview (suites, runs, models to pick) and one run in detail.
import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/db/client";
import { preparePareto } from "@/lib/charts/prepare-pareto";
import { listPlaygroundModels } from "@/lib/playground/picker-models";
import type { EvalOverviewDto, EvalRunDetailDto } from "./query-options";
import type { SampleDataset } from "./schemas";
import { getRun, listCases, listResultRows, listRuns, listSuites } from "./suites";
import { summarizeRun, toModelPoints } from "./summary";

export async function getEvalOverview(db: Db): Promise<EvalOverviewDto> {
  const [suites, runs, pickable] = await Promise.all([listSuites(db), listRuns(db), listPlaygroundModels(db)]);
  return {
    suites: suites.map((s) => ({ id: s.id, name: s.name, description: s.description, source: s.source, caseCount: s.caseCount, graders: s.graders as EvalOverviewDto["suites"][number]["graders"], createdAt: s.createdAt.toISOString() })),
    runs: runs.map((r) => ({ id: r.id, suiteName: r.suiteName, status: r.status, total: r.total, models: r.models, createdAt: r.createdAt.toISOString() })),
    // What the playground offers: the catalogue with deployments and their adapters (run under their own names).
    models: pickable.map((m) => ({ id: m.id, name: m.displayName || m.name, providerName: m.providerName })),
  };
}

export async function getRunDetail(db: Db, runId: string): Promise<EvalRunDetailDto | null> {
  const run = await getRun(db, runId);
  if (!run) return null;
  const [cases, rows] = await Promise.all([listCases(db, run.suiteId), listResultRows(db, runId)]);
  const summaries = summarizeRun(rows, run.models);
  const byCase = new Map<number, EvalRunDetailDto["cases"][number]["results"]>();
  for (const r of rows) {
    const m = byCase.get(r.caseIdx) ?? {};
    m[r.modelId] = { output: r.output, score: r.score, grades: r.grades, status: r.status, error: r.error, ttftMs: r.ttftMs, costUsd: r.costUsd, requestId: r.requestId };
    byCase.set(r.caseIdx, m);
  }
  return {
    run: { id: run.id, suiteName: run.suiteName, status: run.status, total: run.total, done: run.done, models: run.models, concurrency: run.concurrency, createdAt: run.createdAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null },
    summaries,
    pareto: preparePareto(toModelPoints(summaries)).points,
    cases: cases.map((c) => ({ idx: c.idx, prompt: c.messages.filter((m) => m.role === "user").at(-1)?.content ?? "", expected: c.expected, results: byCase.get(c.idx) ?? {} })),
  };
}

const SAMPLE_DIR = path.join(process.cwd(), "assets", "starter");

export async function readSampleDataset(name: SampleDataset): Promise<string> {
  return readFile(path.join(/*turbopackIgnore: true*/ SAMPLE_DIR, `${name}.jsonl`), "utf8");
}
