// Runs one fine-tuning job for the job runner: resolves its files, runs the backend, stores the loss
// curve (batched, about once a second) and checkpoints, then registers the result and scores it
// against its base on the validation examples.
import "server-only";
import { constants } from "node:fs";
import { copyFile, mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fineTuningCheckpoints, fineTuningMetrics } from "@/db/schema";
import { datasetFiles } from "@/lib/datasets/datasets";
import { JobFailure, type JobContext } from "@/lib/jobs/runner";
import { localModelPath, modelsDir, writeLoraSidecar } from "@/lib/engine/local-models";
import { syncLocalModels } from "@/lib/providers/local";
import type { FineTuningBackend, ResolvedSpec, TrainingPoint } from "./backend";
import { planRun } from "@/lib/training/plan";
import { getTrainableBase } from "./bases";
import { exampleLengths } from "./example-lengths";
import { beforeAfter } from "./evaluate";
import { fineTuningDir, type FineTuningResult, type StoredSpec } from "./jobs";
import { localBackend, trainerThreads } from "./local-backend";

const FLUSH_MS = 1000;

/** The step and losses saved in a trainer checkpoint (its header is a length-prefixed JSON object), or null. */
async function checkpointHeader(file: string): Promise<{ step: number; trainLoss: number; valLoss: number | null } | null> {
  try {
    const fh = await open(file, "r");
    try {
      const len = Buffer.alloc(4);
      await fh.read(len, 0, 4, 0);
      const header = Buffer.alloc(Math.min(len.readUInt32LE(0), 65_536));
      await fh.read(header, 0, header.length, 4);
      const h = JSON.parse(header.toString()) as { step?: unknown; lastTrainLoss?: unknown; lastValLoss?: unknown };
      if (typeof h.step !== "number" || typeof h.lastTrainLoss !== "number") return null;
      return { step: h.step, trainLoss: h.lastTrainLoss, valLoss: typeof h.lastValLoss === "number" ? h.lastValLoss : null };
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export async function resolveSpec(spec: StoredSpec): Promise<ResolvedSpec> {
  let base;
  try {
    base = await getTrainableBase(spec.baseModel);
  } catch (error) {
    throw new JobFailure((error as Error).message);
  }
  const files = datasetFiles(spec.datasetId);
  if (!(await exists(files.train))) throw new JobFailure(`the files of dataset ${spec.datasetId} are missing from the data directory`);
  let validationFile: string | null = null;
  if (spec.validation.kind === "split") validationFile = files.validation;
  if (spec.validation.kind === "dataset") validationFile = datasetFiles(spec.validation.datasetId).train;
  if (validationFile && !(await exists(validationFile))) throw new JobFailure("the validation dataset's files are missing from the data directory");
  const contextLength = base.contextLength ?? 256;
  const h = spec.hyperparameters;
  const { totalSteps } = planRun(await exampleLengths(files.train), {
    rowLength: Math.min(h.maxLength, contextLength),
    batch: h.batchSize,
    epochs: h.epochs,
    seed: h.seed,
    validation: validationFile !== null,
  });
  return {
    ...spec,
    basePath: base.path,
    contextLength,
    trainFile: files.train,
    validationFile,
    fineTunedModel: spec.fineTunedModel,
    // About ten checkpoints a run (the trainer keeps the latest; the list records when each was taken).
    checkpointEvery: Math.max(1, Math.round(totalSteps / 10)),
  };
}

export function createFineTuningHandler(backend: FineTuningBackend = localBackend) {
  return async function runFineTuningJob(ctx: JobContext): Promise<Record<string, unknown>> {
    const spec = ctx.job.payload as unknown as StoredSpec;
    const workDir = path.join(fineTuningDir(), ctx.job.id);
    await mkdir(workDir, { recursive: true });
    const db: Db = ctx.db;
    const resolved = await resolveSpec(spec);

    // A checkpoint saved by a trainer whose console died was never recorded: record it now.
    const resumeFrom = await checkpointHeader(path.join(workDir, "job.ckpt"));
    if (resumeFrom !== null) {
      await db.insert(fineTuningCheckpoints).values({ jobId: ctx.job.id, ...resumeFrom }).onConflictDoNothing();
      await ctx.event("info", `Resuming from the checkpoint at step ${resumeFrom.step}`, { step: resumeFrom.step });
    } else {
      await ctx.event("info", `Training on this machine with ${trainerThreads()} threads`);
    }

    // Points are buffered and written about once a second: a step can take a few milliseconds.
    let buffer: TrainingPoint[] = [];
    let last: TrainingPoint | null = null;
    let writing: Promise<void> = Promise.resolve();
    const flush = () => {
      if (!buffer.length) return writing;
      const points = buffer;
      buffer = [];
      const latest = points[points.length - 1];
      writing = writing.then(async () => {
        try {
          await db
            .insert(fineTuningMetrics)
            .values(
              points.map((p) => ({
                jobId: ctx.job.id,
                step: p.step,
                epoch: p.epoch,
                trainLoss: p.trainLoss,
                valLoss: p.valLoss,
                learningRate: p.learningRate,
                tokens: p.tokens,
                tokensPerSecond: p.tokensPerSecond,
              })),
            )
            // A step done again (a trainer that died before its last checkpoint) replaces its point.
            .onConflictDoUpdate({
              target: [fineTuningMetrics.jobId, fineTuningMetrics.step],
              set: {
                epoch: sql`excluded.epoch`,
                trainLoss: sql`excluded.train_loss`,
                valLoss: sql`excluded.val_loss`,
                learningRate: sql`excluded.learning_rate`,
                tokens: sql`excluded.tokens`,
                tokensPerSecond: sql`excluded.tokens_per_second`,
                at: sql`excluded.at`,
              },
            });
          await ctx.progress({
            step: latest.step,
            totalSteps: latest.totalSteps,
            epoch: latest.epoch,
            trainLoss: latest.trainLoss,
            valLoss: latest.valLoss,
            tokensPerSecond: latest.tokensPerSecond,
            etaSeconds: latest.etaSeconds,
          });
        } catch (error) {
          console.error(`[kindling] fine-tuning job ${ctx.job.id}: storing progress failed`, error);
        }
      });
      return writing;
    };
    const timer = setInterval(() => void flush(), FLUSH_MS);
    timer.unref();
    let first = true;
    let outcome;
    try {
      outcome = await backend.run(resolved, {
        jobId: ctx.job.id,
        workDir,
        signal: ctx.signal,
        onProgress: (p) => {
          buffer.push(p);
          last = p;
          if (first) {
            first = false;
            void flush();
          }
        },
        onCheckpoint: (c) => {
          writing = writing.then(() =>
            db
              .insert(fineTuningCheckpoints)
              .values({ jobId: ctx.job.id, step: c.step, trainLoss: c.trainLoss, valLoss: c.valLoss })
              .onConflictDoUpdate({ target: [fineTuningCheckpoints.jobId, fineTuningCheckpoints.step], set: { trainLoss: c.trainLoss, valLoss: c.valLoss } })
              .then(() => undefined, (error) => console.error(`[kindling] fine-tuning job ${ctx.job.id}: storing a checkpoint failed`, error)),
          );
        },
        event: (message, data) => ctx.event("info", message, data),
      });
    } finally {
      clearInterval(timer);
      await flush();
    }
    if (outcome.status === "stopped") {
      const reason = ctx.stopReason();
      await ctx.event("info", reason === "shutdown" ? `Paused at step ${outcome.steps}; the checkpoint is kept and the job resumes at the next start` : `Stopped at step ${outcome.steps}`);
      return { stoppedAtStep: outcome.steps, lastPoint: last };
    }

    const result: FineTuningResult = {
      fineTunedModel: spec.fineTunedModel,
      steps: outcome.steps,
      tokens: outcome.tokens,
      seconds: outcome.seconds,
      tokensPerSecond: outcome.tokensPerSecond,
      trainLoss: outcome.trainLoss,
      valLoss: outcome.valLoss,
      registered: false,
    };
    // Into the local provider's folder under its final name, copied beside it then renamed. A LoRA
    // adapter's sidecar (naming its base) is written first, so a rescan never sees the adapter without it.
    const dest = localModelPath(spec.fineTunedModel);
    await mkdir(modelsDir(), { recursive: true });
    if (spec.method === "lora") await writeLoraSidecar(spec.fineTunedModel, { base: spec.baseModel, scale: 1 });
    const partial = `${dest}.partial-${process.pid}`;
    await copyFile(outcome.outputFile, partial, constants.COPYFILE_FICLONE);
    await rename(partial, dest).finally(() => rm(partial, { force: true }));
    await syncLocalModels(db);
    const tunedPath = spec.method === "full" ? dest : outcome.outputFile;
    result.registered = true;
    result.outputFile = dest;
    await ctx.event(
      "info",
      spec.method === "lora" ? `Registered ${spec.fineTunedModel} with the local engine: ${spec.baseModel} with this LoRA adapter` : `Registered ${spec.fineTunedModel} with the local engine`,
    );
    if (resolved.validationFile) {
      try {
        await ctx.event("info", "Comparing the base and the fine-tuned model on the validation examples");
        result.evaluation = await beforeAfter({
          basePath: resolved.basePath,
          tunedPath,
          adapterPath: spec.method === "lora" ? outcome.outputFile : null,
          validationFile: resolved.validationFile,
          workDir,
        });
        const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
        await ctx.event("info", `Exact match on ${result.evaluation.examples} validation examples: ${pct(result.evaluation.before.exactMatch)} before, ${pct(result.evaluation.after.exactMatch)} after`);
      } catch (error) {
        result.evaluationError = (error as Error).message;
        await ctx.event("warn", `The before/after check failed: ${(error as Error).message}`);
      }
    }
    return result as Record<string, unknown>;
  };
}
