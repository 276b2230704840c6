// `npm run eval`: run a stored suite or a file of cases on one or more models, print a table, store
// the run, and exit 1 naming every threshold that failed (2 for bad arguments or setup errors).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { closeDatabase, initDatabase } from "@/db/client";
import { getUsageQueue } from "@/lib/metering/usage";
import { stopAllEngines } from "@/lib/engine/supervisor";
import { initLocalProvider } from "@/lib/providers/local";
import { evalModelCaller } from "./call-model";
import { parseCasesFile } from "./cases";
import { EVAL_USAGE, parseEvalArgs, type EvalCliOptions } from "./cli-args";
import { runEval } from "./runner";
import { createRun, createSuite, getSuite, listResultRows, resolveModelIds } from "./suites";
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

async function run(options: EvalCliOptions): Promise<number> {
  if (options.url) {
    process.stderr.write("--url runs through a Kindling gateway (/v1 with an API key), which is not built on this branch yet; run without --url on the console's machine.\n");
    return 2;
  }
  const { db } = await initDatabase();
  await initLocalProvider(db);
  let suiteId: string;
  const file = path.resolve(options.suite);
  if (/\.(jsonl|csv)$/i.test(options.suite) && existsSync(file)) {
    const cases = parseCasesFile(file, readFileSync(file, "utf8"));
    const suite = await createSuite(db, { name: `${path.basename(file)} ${new Date().toISOString()}`, source: "upload", graders: [options.grader], cases }, null);
    suiteId = suite.id;
  } else {
    const suite = await getSuite(db, options.suite);
    if (!suite) throw new Error(`No suite named ${options.suite}, and no such .jsonl/.csv file.`);
    suiteId = suite.id;
  }
  const modelIds = await resolveModelIds(db, options.models);
  const evalRun = await createRun(db, { suiteId, modelIds, concurrency: options.concurrency, params: { temperature: 0, max_tokens: options.maxTokens } }, null);
  process.stderr.write(`run ${evalRun.id}: ${evalRun.total} calls\n`);
  await runEval(db, evalRun.id, evalModelCaller(db, null));
  await getUsageQueue().flush();
  const summaries = summarizeRun(await listResultRows(db, evalRun.id), modelIds);
  process.stdout.write(`${table(summaries)}\n`);
  const failed = failedThresholds(summaries, options.thresholds);
  for (const f of failed) process.stderr.write(`FAILED ${f}\n`);
  return failed.length ? 1 : 0;
}

async function main(): Promise<void> {
  let options: EvalCliOptions;
  try {
    options = parseEvalArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${EVAL_USAGE}\n`);
    process.exit(2);
  }
  let code = 2;
  try {
    code = await run(options);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
  } finally {
    await stopAllEngines().catch(() => {});
    await closeDatabase().catch(() => {});
  }
  process.exit(code);
}

void main();
