// Runs an eval: every (model, case) pair without a stored result, a few at a time. Each result is
// written as soon as it is graded, so a run that stops (cancel, crash, restart) continues from the
// database: the pairs already stored are skipped.
import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evalResults, evalRuns, models } from "@/db/schema";
import { toAppError } from "@/lib/errors";
import type { CallModel } from "./call-model";
import type { EvalCase } from "./cases";
import { gradeSync, graderSchema, judgePrompt, parseJudgeReply, type GraderSpec } from "./graders";
import { getRun, listCases } from "./suites";

async function grade(spec: GraderSpec, c: EvalCase, output: string, call: CallModel, signal?: AbortSignal) {
  if (spec.type !== "judge") return { type: spec.type, ...gradeSync(spec, output, c.expected) };
  try {
    const reply = await call(spec.model, judgePrompt(spec.rubric, c.messages, output, c.expected), { temperature: 0, max_tokens: 120 }, signal);
    const g = parseJudgeReply(reply.content);
    return { type: spec.type, score: g.score, reason: g.reason };
  } catch (error) {
    return { type: spec.type, score: 0, reason: `the judge could not answer: ${toAppError(error).message}` };
  }
}

export async function runEval(db: Db, runId: string, call: CallModel, options: { signal?: AbortSignal; onResult?: () => void } = {}): Promise<string> {
  const run = await getRun(db, runId);
  if (!run) throw new Error(`no eval run ${runId}`);
  if (run.status !== "queued" && run.status !== "running") return run.status;
  await db.update(evalRuns).set({ status: "running", startedAt: run.startedAt ?? new Date() }).where(and(eq(evalRuns.id, runId), inArray(evalRuns.status, ["queued", "running"])));
  const graders = run.graders.map((g) => graderSchema.parse(g));
  const cases = await listCases(db, run.suiteId);
  const names = new Map((await db.select({ id: models.id, name: models.name }).from(models).where(inArray(models.id, run.models))).map((m) => [m.id, m.name]));
  const done = new Set((await db.select({ m: evalResults.modelId, i: evalResults.caseIdx }).from(evalResults).where(eq(evalResults.runId, runId))).map((r) => `${r.m}|${r.i}`));
  // Case-major order, so every model advances together and a partial run compares like with like.
  const todo = cases.flatMap((c) => run.models.map((modelId) => ({ c, modelId }))).filter((t) => !done.has(`${t.modelId}|${t.c.idx}`));

  let next = 0;
  let stopped = false;
  const isCancelled = async () => {
    const [row] = await db.select({ status: evalRuns.status }).from(evalRuns).where(eq(evalRuns.id, runId));
    return row?.status !== "running";
  };
  const worker = async () => {
    while (!stopped && next < todo.length) {
      // Claim the pair before awaiting anything: another worker may take the last one meanwhile.
      const { c, modelId } = todo[next++];
      if (options.signal?.aborted || (await isCancelled())) {
        stopped = true;
        return;
      }
      let values: typeof evalResults.$inferInsert;
      try {
        const answer = await call(modelId, c.messages, run.params, options.signal);
        const grades = [];
        for (const g of graders) grades.push(await grade(g, c, answer.content, call, options.signal));
        values = {
          runId,
          modelId,
          modelName: answer.modelName,
          caseIdx: c.idx,
          output: answer.content,
          grades,
          score: grades.reduce((s, g) => s + g.score, 0) / grades.length,
          status: "ok",
          ttftMs: answer.ttftMs,
          totalMs: answer.totalMs,
          inputTokens: answer.inputTokens,
          outputTokens: answer.outputTokens,
          costUsd: answer.costUsd === null ? null : answer.costUsd.toFixed(10),
          requestId: answer.requestId,
        };
      } catch (error) {
        if (options.signal?.aborted) {
          stopped = true;
          return;
        }
        values = { runId, modelId, modelName: names.get(modelId) ?? modelId, caseIdx: c.idx, score: 0, status: "error", error: toAppError(error).message };
      }
      await db.insert(evalResults).values(values).onConflictDoNothing();
      options.onResult?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, Math.max(todo.length, 1)) }, worker));
  if (options.signal?.aborted) return "running";
  const [finished] = await db
    .update(evalRuns)
    .set({ status: "done", finishedAt: new Date() })
    .where(and(eq(evalRuns.id, runId), eq(evalRuns.status, "running")))
    .returning({ status: evalRuns.status });
  return finished?.status ?? (await getRun(db, runId))?.status ?? "done";
}
