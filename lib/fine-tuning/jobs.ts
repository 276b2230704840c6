// Fine-tuning jobs: checked specs queued as `jobs` rows of kind "fine-tune", and what the pages and
// the OpenAI API read back (progress, the stored loss curve, checkpoints, events).
import "server-only";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { datasets, fineTuningCheckpoints, fineTuningMetrics, jobs, models, type Job } from "@/db/schema";
import { datasetFiles, getDataset, type DatasetDto } from "@/lib/datasets/datasets";
import { dataDir } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { cancelJob, enqueueJob, getJob, listJobEvents } from "@/lib/jobs/queue";
import { getJobRunner, pokeJobRunner } from "@/lib/jobs/registry";
import { LOCAL_PROVIDER_ID } from "@/lib/providers/local";
import { getTrainableBase, listBaseModels } from "./bases";
import { estimateJob, type Estimate } from "./estimate";
import { exampleLengths } from "./example-lengths";
import { FINE_TUNING_JOB_KIND, type FineTuningSpec, type Hyperparameters, type Method, type ValidationSource } from "./schemas";

export function fineTuningDir(): string {
  return path.join(dataDir(), "fine-tuning");
}

/** What a queued job's payload holds: the checked spec and the name its result will get. */
export interface StoredSpec extends FineTuningSpec {
  fineTunedModel: string;
  backend: "local";
}

export interface FineTuningProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  tokensPerSecond: number;
  etaSeconds: number;
}

export interface FineTuningResult {
  fineTunedModel?: string;
  registered?: boolean;
  outputFile?: string;
  steps?: number;
  tokens?: number;
  seconds?: number;
  tokensPerSecond?: number;
  trainLoss?: number;
  valLoss?: number | null;
  evaluation?: {
    examples: number;
    before: { exactMatch: number; jsonValid: number | null; jsonTargets: number };
    after: { exactMatch: number; jsonValid: number | null; jsonTargets: number };
    samples: { prompt: string; expected: string; before: string; after: string }[];
  } | null;
  evaluationError?: string;
}

export interface FineTuningJobDto {
  id: string;
  status: Job["status"];
  cancelRequested: boolean;
  attempts: number;
  baseModel: string;
  datasetId: string;
  datasetName: string | null;
  validation: FineTuningSpec["validation"];
  method: Method;
  hyperparameters: Hyperparameters;
  suffix: string;
  fineTunedModel: string;
  progress: FineTuningProgress | null;
  result: FineTuningResult | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function toDto(job: Job, datasetName: string | null): FineTuningJobDto {
  const spec = job.payload as unknown as StoredSpec;
  return {
    id: job.id,
    status: job.status,
    cancelRequested: job.cancelRequested,
    attempts: job.attempts,
    baseModel: spec.baseModel,
    datasetId: spec.datasetId,
    datasetName,
    validation: spec.validation,
    method: spec.method,
    hyperparameters: spec.hyperparameters,
    suffix: spec.suffix,
    fineTunedModel: spec.fineTunedModel,
    progress: (job.progress as unknown as FineTuningProgress | null) ?? null,
    result: (job.result as FineTuningResult | null) ?? null,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

async function datasetNames(db: Tx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: datasets.id, name: datasets.name }).from(datasets).where(inArray(datasets.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Checks a spec against the base and the data and queues it. Refuses, naming the field: a base the
 * trainer cannot train, a dataset with examples longer than the base's context or the row length.
 */
export async function createFineTuningJob(db: Tx, spec: FineTuningSpec, createdBy: string | null, options: { modelsDir?: string } = {}): Promise<FineTuningJobDto> {
  const base = await getTrainableBase(spec.baseModel, options.modelsDir);
  const context = base.contextLength ?? 256;
  const dataset = await getDataset(db, spec.datasetId);
  const checkFits = (d: DatasetDto, field: string) => {
    if (d.maxExampleTokens > context) {
      throw new AppError("VALIDATION", `Dataset "${d.name}" has examples of up to ${d.maxExampleTokens} tokens, longer than ${base.name}'s context of ${context} tokens. Upload it again checked against this base to see which lines.`, {
        fieldErrors: { [field]: [`longest example ${d.maxExampleTokens} tokens > context ${context}`] },
      });
    }
    if (d.maxExampleTokens > spec.hyperparameters.maxLength) {
      throw new AppError("VALIDATION", `Max length ${spec.hyperparameters.maxLength} is shorter than the longest example of "${d.name}" (${d.maxExampleTokens} tokens).`, {
        fieldErrors: { "hyperparameters.maxLength": [`at least ${d.maxExampleTokens}`] },
      });
    }
  };
  checkFits(dataset, "datasetId");
  if (spec.validation.kind === "dataset") checkFits(await getDataset(db, spec.validation.datasetId), "validation.datasetId");
  if (spec.validation.kind === "split" && dataset.validationExamples === 0) {
    throw new AppError("VALIDATION", `Dataset "${dataset.name}" has no validation split; choose another dataset for validation, or none.`, {
      fieldErrors: { validation: ["the dataset has no validation split"] },
    });
  }
  if (spec.hyperparameters.maxLength > context) {
    throw new AppError("VALIDATION", `Max length cannot exceed ${base.name}'s context of ${context} tokens.`, {
      fieldErrors: { "hyperparameters.maxLength": [`at most ${context}`] },
    });
  }
  const id = `ftjob-${randomUUID().replace(/-/g, "").slice(0, 20)}`;
  const fineTunedModel = `ft-${base.name}${spec.suffix ? `-${spec.suffix}` : ""}-${id.slice(6, 12)}`;
  const [clash] = await db.select({ id: models.id }).from(models).where(eq(models.name, fineTunedModel));
  if (clash) throw new AppError("CONFLICT", `A model named ${fineTunedModel} already exists; choose another suffix.`, { fieldErrors: { suffix: ["taken"] } });
  const stored: StoredSpec = { ...spec, fineTunedModel, backend: "local" };
  const job = await enqueueJob(db, { id, kind: FINE_TUNING_JOB_KIND, payload: stored as unknown as Record<string, unknown>, createdBy });
  pokeJobRunner();
  return toDto(job, dataset.name);
}

/**
 * Newest first. `after` is a job id from a previous page: only jobs listed after it come back
 * (a VALIDATION error naming `after` when there is no such job).
 */
export async function listFineTuningJobs(db: Tx, options: { limit?: number; after?: string } = {}): Promise<FineTuningJobDto[]> {
  let cursor: SQL | undefined;
  if (options.after) {
    const [from] = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.id, options.after), eq(jobs.kind, FINE_TUNING_JOB_KIND)));
    if (!from) throw new AppError("VALIDATION", `There is no fine-tuning job ${options.after} to list after.`, { fieldErrors: { after: ["no such job"] } });
    // Compared in SQL: created_at has microseconds, a JS Date only milliseconds.
    cursor = sql`(${jobs.createdAt}, ${jobs.id}) < (select j.created_at, j.id from jobs j where j.id = ${options.after})`;
  }
  const rows = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, FINE_TUNING_JOB_KIND), cursor))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(options.limit ?? 100);
  const names = await datasetNames(db, [...new Set(rows.map((r) => (r.payload as { datasetId: string }).datasetId))]);
  return rows.map((r) => toDto(r, names.get((r.payload as { datasetId: string }).datasetId) ?? null));
}

export async function getFineTuningJob(db: Tx, id: string): Promise<FineTuningJobDto> {
  const job = await getJob(db, id, { kind: FINE_TUNING_JOB_KIND });
  if (!job) throw new AppError("NOT_FOUND", "There is no such fine-tuning job.");
  const names = await datasetNames(db, [(job.payload as { datasetId: string }).datasetId]);
  return toDto(job, names.get((job.payload as { datasetId: string }).datasetId) ?? null);
}

export interface LossPoint {
  step: number;
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  tokensPerSecond: number;
  at: string;
}

export async function listLossPoints(db: Tx, jobId: string): Promise<LossPoint[]> {
  const rows = await db.select().from(fineTuningMetrics).where(eq(fineTuningMetrics.jobId, jobId)).orderBy(asc(fineTuningMetrics.step));
  return rows.map((r) => ({ step: r.step, epoch: r.epoch, trainLoss: r.trainLoss, valLoss: r.valLoss, tokensPerSecond: r.tokensPerSecond, at: r.at.toISOString() }));
}

export interface CheckpointDto {
  step: number;
  trainLoss: number;
  valLoss: number | null;
  at: string;
}

export async function listCheckpoints(db: Tx, jobId: string): Promise<CheckpointDto[]> {
  const rows = await db.select().from(fineTuningCheckpoints).where(eq(fineTuningCheckpoints.jobId, jobId)).orderBy(asc(fineTuningCheckpoints.step));
  return rows.map((r) => ({ step: r.step, trainLoss: r.trainLoss, valLoss: r.valLoss, at: r.at.toISOString() }));
}

export interface FineTuningJobDetail {
  job: FineTuningJobDto;
  points: LossPoint[];
  checkpoints: CheckpointDto[];
  events: { id: number; at: string; level: string; message: string }[];
  /** Catalogue ids of the base and the registered result, for "Compare in playground". */
  compare: { baseModelId: string; tunedModelId: string } | null;
}

export async function getFineTuningJobDetail(db: Tx, id: string): Promise<FineTuningJobDetail> {
  const job = await getFineTuningJob(db, id);
  const [points, checkpoints, events] = await Promise.all([listLossPoints(db, id), listCheckpoints(db, id), listJobEvents(db, id)]);
  let compare: FineTuningJobDetail["compare"] = null;
  if (job.result?.registered) {
    const rows = await db
      .select({ id: models.id, name: models.name })
      .from(models)
      .where(and(eq(models.providerId, LOCAL_PROVIDER_ID), inArray(models.name, [job.baseModel, job.fineTunedModel])));
    const base = rows.find((r) => r.name === job.baseModel);
    const tuned = rows.find((r) => r.name === job.fineTunedModel);
    if (base && tuned) compare = { baseModelId: base.id, tunedModelId: tuned.id };
  }
  return {
    compare,
    job,
    points,
    checkpoints,
    events: events.map((e) => ({ id: e.id, at: e.at.toISOString(), level: e.level, message: e.message })),
  };
}

/** Cancels a queued job at once, or stops a running one (here at once, elsewhere at its next heartbeat). */
export async function cancelFineTuningJob(db: Tx, id: string): Promise<FineTuningJobDto> {
  await cancelJob(db, id, { kind: FINE_TUNING_JOB_KIND });
  getJobRunner().abortLocal(id, "cancel");
  return getFineTuningJob(db, id);
}

/** Trainer throughput of this machine's finished jobs on `baseModel` (tokens/s), newest first. */
export async function measuredThroughput(db: Tx, baseModel: string): Promise<number[]> {
  const rows = await db
    .select({ payload: jobs.payload, result: jobs.result })
    .from(jobs)
    .where(and(eq(jobs.kind, FINE_TUNING_JOB_KIND), eq(jobs.status, "succeeded")))
    .orderBy(desc(jobs.finishedAt))
    .limit(50);
  return rows
    .filter((r) => (r.payload as { baseModel?: string }).baseModel === baseModel)
    .map((r) => (r.result as FineTuningResult | null)?.tokensPerSecond)
    .filter((t): t is number => typeof t === "number" && t > 0)
    .slice(0, 5);
}

export async function estimateFineTuningJob(
  db: Tx,
  input: { baseModel: string; datasetId: string; validation?: ValidationSource; hyperparameters: Hyperparameters },
  options: { modelsDir?: string } = {},
): Promise<Estimate> {
  const base = (await listBaseModels(options.modelsDir)).find((b) => b.name === input.baseModel);
  if (!base) throw new AppError("NOT_FOUND", `There is no local model named "${input.baseModel}".`);
  await getDataset(db, input.datasetId);
  const validation = input.validation ?? { kind: "none" };
  if (validation.kind === "dataset") await getDataset(db, validation.datasetId);
  const files = datasetFiles(input.datasetId);
  const validationFile = validation.kind === "split" ? files.validation : validation.kind === "dataset" ? datasetFiles(validation.datasetId).train : null;
  return estimateJob({
    trainLengths: await exampleLengths(files.train),
    validationLengths: validationFile ? await exampleLengths(validationFile) : [],
    hyperparameters: input.hyperparameters,
    contextLength: base.contextLength ?? 256,
    parameterCount: base.parameterCount,
    measuredTokensPerSecond: await measuredThroughput(db, input.baseModel),
  });
}
