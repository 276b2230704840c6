// `npm run eval`: run a stored suite or a file of cases on one or more models, print a table, store
// the run, and exit 1 naming every threshold that failed (2 for bad arguments or setup errors).
// Without --url it runs here, on the local database and engine; with --url it runs on that Kindling
// (through /api/v1/evals/runs with an API key), which calls its models through its own gateway path.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { closeDatabase, initDatabase } from "@/db/client";
import { getUsageQueue } from "@/lib/metering/usage";
import { stopAllEngines } from "@/lib/engine/supervisor";
import { initLocalProvider } from "@/lib/providers/local";
import { setTimeout as sleep } from "node:timers/promises";
import { clientApiKey } from "@/lib/env";
import { getJobRunner } from "@/lib/jobs/registry";
import { createRunBody, fromApiSummary, isFinished, type ApiEvalRun } from "./api";
import { parseCasesFile, type EvalCase } from "./cases";
import { EVAL_USAGE, parseEvalArgs, type EvalCliOptions } from "./cli-args";
import { createEvalRunHandler } from "./runner-service";
import { createRun, createSuite, EVAL_RUN_JOB_KIND, getRun, getSuite, listResultRows, resolveModelIds } from "./suites";
import { failedThresholds, summarizeRun, type ModelRunSummary } from "./summary";

function table(rows: ModelRunSummary[]): string {
  const head = ["model", "cases", "errors", "quality", "p50 ttft ms", "p95 ttft ms", "tok/s", "cost/1k cases"];
  const body = rows.map((s) => [
    s.modelName,
    String(s.cases),
    String(s.errors),
    s.quality.toFixed(3),
    s.p50TtftMs === null ? "-" : s.p50TtftMs.toFixed(1),
    s.p95TtftMs === null ? "-" : s.p95TtftMs.toFixed(1),
    s.tokensPerSecond === null ? "-" : s.tokensPerSecond.toFixed(1),
    s.costPer1k === null ? "-" : `$${s.costPer1k.toFixed(4)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n");
}

function report(summaries: ModelRunSummary[], options: EvalCliOptions): number {
  process.stdout.write(`${table(summaries)}\n`);
  const failed = failedThresholds(summaries, options.thresholds);
  for (const f of failed) process.stderr.write(`FAILED ${f}\n`);
  return failed.length ? 1 : 0;
}

function progress(done: number, total: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} cases graded`);
}

/** The cases of a .jsonl/.csv file, or null when `suite` names a stored suite. */
function casesFromFile(suite: string): { name: string; cases: EvalCase[] } | null {
  const file = path.resolve(suite);
  if (!/\.(jsonl|csv)$/i.test(suite) || !existsSync(file)) return null;
  return { name: `${path.basename(file)} ${new Date().toISOString()}`, cases: parseCasesFile(file, readFileSync(file, "utf8")) };
}

/** On this machine: the run is a job in the local database, run by this process's job runner. */
async function runLocally(options: EvalCliOptions): Promise<number> {
  const { db } = await initDatabase();
  await initLocalProvider(db);
  const file = casesFromFile(options.suite);
  let suiteId: string;
  if (file) {
    suiteId = (await createSuite(db, { name: file.name, source: "upload", graders: [options.grader], cases: file.cases }, null)).id;
  } else {
    const suite = await getSuite(db, options.suite);
    if (!suite) throw new Error(`No suite named ${options.suite}, and no such .jsonl/.csv file.`);
    suiteId = suite.id;
  }
  const modelIds = await resolveModelIds(db, options.models);
  const evalRun = await createRun(db, { suiteId, modelIds, concurrency: options.concurrency, params: { temperature: 0, max_tokens: options.maxTokens } }, null);
  process.stderr.write(`run ${evalRun.id}: ${evalRun.total} calls\n`);
  const runner = getJobRunner();
  runner.register(EVAL_RUN_JOB_KIND, createEvalRunHandler(), { concurrency: 1 });
  runner.start();
  try {
    for (;;) {
      const run = await getRun(db, evalRun.id);
      if (!run) throw new Error(`the run ${evalRun.id} disappeared`);
      progress(run.done, run.total);
      if (isFinished(run.status)) {
        if (process.stderr.isTTY) process.stderr.write("\n");
        if (run.status !== "done") throw new Error(`the run ended ${run.status}`);
        break;
      }
      await sleep(500);
    }
  } finally {
    await runner.stop();
  }
  await getUsageQueue().flush();
  return report(summarizeRun(await listResultRows(db, evalRun.id), modelIds), options);
}

/** Against a running Kindling: the run is created and run there (its gateway, its catalogue), and read back. */
async function runRemotely(options: EvalCliOptions): Promise<number> {
  const url = options.url!;
  const headers = { authorization: `Bearer ${options.key}`, "content-type": "application/json" };
  const call = async (method: string, pathname: string, body?: unknown): Promise<ApiEvalRun> => {
    const res = await fetch(`${url}${pathname}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }).catch((error: Error) => {
      throw new Error(`${url} did not answer: ${error.message}`);
    });
    const json = (await res.json().catch(() => null)) as (ApiEvalRun & { error?: { message: string } }) | null;
    if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${json?.error?.message ?? res.statusText}`);
    return json!;
  };
  const file = casesFromFile(options.suite);
  const body = createRunBody(
    file
      ? { cases: file.cases, graders: [options.grader], suiteName: file.name, models: options.models, concurrency: options.concurrency, maxTokens: options.maxTokens }
      : { suite: options.suite, models: options.models, concurrency: options.concurrency, maxTokens: options.maxTokens },
  );
  let run = await call("POST", "/api/v1/evals/runs", body);
  process.stderr.write(`run ${run.id}: ${run.total} calls, ${url}/evals/runs/${run.id}\n`);
  const cancel = () => {
    process.stderr.write("\ncancelling the run...\n");
    void call("POST", `/api/v1/evals/runs/${run.id}/cancel`).finally(() => process.exit(130));
  };
  process.once("SIGINT", cancel);
  try {
    while (!isFinished(run.status)) {
      progress(run.done, run.total);
      await sleep(1000);
      run = await call("GET", `/api/v1/evals/runs/${run.id}`);
    }
  } finally {
    process.off("SIGINT", cancel);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  if (run.status !== "done") throw new Error(`the run ended ${run.status}`);
  return report(run.summary.map(fromApiSummary), options);
}

async function main(): Promise<void> {
  let options: EvalCliOptions;
  try {
    options = parseEvalArgs(process.argv.slice(2), { apiKey: clientApiKey() });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${EVAL_USAGE}\n`);
    process.exit(2);
  }
  let code = 2;
  try {
    code = await (options.url ? runRemotely(options) : runLocally(options));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
  } finally {
    await stopAllEngines().catch(() => {});
    await closeDatabase().catch(() => {});
  }
  process.exit(code);
}

void main();
