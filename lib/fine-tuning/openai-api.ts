// OpenAI's files and fine-tuning shapes over Kindling's datasets and fine-tuning jobs: ids, objects,
// statuses, the create-job request (both hyperparameter places, plus Kindling's extras) and cursor
// pages. Pure: the HTTP handlers in openai-http.ts read and write through datasets.ts and jobs.ts.
import { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";
import type { DatasetDto } from "@/lib/datasets/datasets";
import type { CheckpointDto, FineTuningJobDto } from "./jobs";
import { createFineTuningJobSchema, defaultHyperparameters, METHODS, type FineTuningSpec, type Hyperparameters, type Method } from "./schemas";

// ---- ids: a file is a dataset, so its id is the dataset's hash under OpenAI's prefix ----

const DATASET_ID = /^ds-([0-9a-f]{24})$/;
const FILE_ID = /^file-([0-9a-f]{24})$/;

export function fileIdOf(datasetId: string): string {
  const m = DATASET_ID.exec(datasetId);
  if (!m) throw new Error(`not a dataset id: ${datasetId}`);
  return `file-${m[1]}`;
}

/** The dataset behind a file id, or null when `fileId` is not one of ours. */
export function datasetIdOf(fileId: string): string | null {
  const m = FILE_ID.exec(fileId);
  return m ? `ds-${m[1]}` : null;
}

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

// ---- files ----

export interface OpenAiFile {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  expires_at: null;
  filename: string;
  purpose: "fine-tune";
  /** Every stored dataset has been checked line by line: "processed". */
  status: "processed";
  status_details: null;
}

export function toOpenAiFile(dataset: Pick<DatasetDto, "id" | "name" | "sizeBytes" | "createdAt">): OpenAiFile {
  return {
    id: fileIdOf(dataset.id),
    object: "file",
    bytes: dataset.sizeBytes,
    created_at: seconds(dataset.createdAt),
    expires_at: null,
    filename: dataset.name,
    purpose: "fine-tune",
    status: "processed",
    status_details: null,
  };
}

/** The 400 for an upload with bad lines: every line (as many as were kept) named in the message. */
export function badLinesError(filename: string, issues: { line: number; reason: string }[], issueCount: number): AppError {
  const where = (i: { line: number; reason: string }) => (i.line > 0 ? `line ${i.line}: ${i.reason}` : i.reason);
  const more = issueCount > issues.length ? ` (and ${issueCount - issues.length} more)` : "";
  const noun = issueCount === 1 ? "bad line" : "bad lines";
  return new AppError("VALIDATION", `${filename} was not stored: ${issueCount} ${noun}${more}. ${issues.map(where).join("; ")}.`, {
    fieldErrors: { file: issues.map(where) },
  });
}

// ---- jobs ----

export const OPENAI_JOB_STATUSES = ["validating_files", "queued", "running", "succeeded", "failed", "cancelled"] as const;
export type OpenAiJobStatus = (typeof OPENAI_JOB_STATUSES)[number];

/**
 * Files are checked when uploaded and again when a job is created, before it is stored, so a
 * Kindling job is never `validating_files`: it starts `queued`.
 */
export function toOpenAiStatus(status: FineTuningJobDto["status"]): OpenAiJobStatus {
  return status;
}

export interface OpenAiHyperparameters {
  n_epochs: number;
  batch_size: number;
  learning_rate_multiplier: number;
  /** Kindling's extras, accepted on create and reported back. */
  method: Method;
  learning_rate: number;
  lora_rank: number;
  lora_alpha: number;
  warmup: number;
  max_length: number;
}

export function toOpenAiHyperparameters(method: Method, h: Hyperparameters): OpenAiHyperparameters {
  const base = defaultHyperparameters(method).learningRate;
  return {
    n_epochs: h.epochs,
    batch_size: h.batchSize,
    // Rounded so 1e-3 / 1e-3 reads 1, not 0.9999999999999999.
    learning_rate_multiplier: Number((h.learningRate / base).toPrecision(12)),
    method,
    learning_rate: h.learningRate,
    lora_rank: h.loraRank,
    lora_alpha: h.loraAlpha,
    warmup: h.warmup,
    max_length: h.maxLength,
  };
}

export interface OpenAiFineTuningJob {
  id: string;
  object: "fine_tuning.job";
  created_at: number;
  finished_at: number | null;
  model: string;
  fine_tuned_model: string | null;
  organization_id: string;
  status: OpenAiJobStatus;
  training_file: string;
  validation_file: string | null;
  hyperparameters: OpenAiHyperparameters;
  method: { type: "supervised"; supervised: { hyperparameters: OpenAiHyperparameters } };
  trained_tokens: number | null;
  result_files: string[];
  error: { code: string; message: string; param: string | null } | null;
  seed: number;
  estimated_finish: number | null;
  integrations: [];
  metadata: null;
  user_provided_suffix: string | null;
}

/** Kindling has one organisation per console. */
export const ORGANIZATION_ID = "org-kindling";

export function toOpenAiJob(job: FineTuningJobDto, now: number = Date.now()): OpenAiFineTuningJob {
  const hyperparameters = toOpenAiHyperparameters(job.method, job.hyperparameters);
  const succeeded = job.status === "succeeded";
  const eta = job.status === "running" ? job.progress?.etaSeconds : undefined;
  return {
    id: job.id,
    object: "fine_tuning.job",
    created_at: seconds(job.createdAt),
    finished_at: job.finishedAt && (job.status === "succeeded" || job.status === "failed" || job.status === "cancelled") ? seconds(job.finishedAt) : null,
    model: job.baseModel,
    // Only a registered result answers on /v1/chat/completions (a full model, or a LoRA adapter on its base).
    fine_tuned_model: succeeded && job.result?.registered ? job.fineTunedModel : null,
    organization_id: ORGANIZATION_ID,
    status: toOpenAiStatus(job.status),
    training_file: fileIdOf(job.datasetId),
    validation_file: job.validation.kind === "dataset" ? fileIdOf(job.validation.datasetId) : null,
    hyperparameters,
    method: { type: "supervised", supervised: { hyperparameters } },
    trained_tokens: succeeded ? (job.result?.tokens ?? null) : null,
    result_files: [],
    error: job.status === "failed" ? { code: "training_failed", message: job.error ?? "The job failed.", param: null } : null,
    seed: job.hyperparameters.seed,
    estimated_finish: typeof eta === "number" && Number.isFinite(eta) ? Math.floor(now / 1000 + eta) : null,
    integrations: [],
    metadata: null,
    user_provided_suffix: job.suffix || null,
  };
}

export interface OpenAiJobEvent {
  id: string;
  object: "fine_tuning.job.event";
  created_at: number;
  level: "info" | "warn" | "error";
  message: string;
  type: "message";
  data: Record<string, unknown>;
}

export function toOpenAiEvent(event: { id: number; at: string; level: string; message: string; data?: unknown }): OpenAiJobEvent {
  const level = event.level === "warn" || event.level === "error" ? event.level : "info";
  return {
    id: `ftevent-${event.id}`,
    object: "fine_tuning.job.event",
    created_at: seconds(event.at),
    level,
    message: event.message,
    type: "message",
    data: event.data && typeof event.data === "object" ? (event.data as Record<string, unknown>) : {},
  };
}

export interface OpenAiCheckpoint {
  id: string;
  object: "fine_tuning.job.checkpoint";
  created_at: number;
  /** A label for the checkpoint: checkpoints are kept by the trainer for resuming, not served. */
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  step_number: number;
  metrics: { step: number; train_loss: number; valid_loss: number | null };
}

export function toOpenAiCheckpoint(job: Pick<FineTuningJobDto, "id" | "fineTunedModel">, c: CheckpointDto): OpenAiCheckpoint {
  return {
    id: `ftckpt-${job.id.replace(/^ftjob-/, "")}-${c.step}`,
    object: "fine_tuning.job.checkpoint",
    created_at: seconds(c.at),
    fine_tuned_model_checkpoint: `${job.fineTunedModel}:ckpt-step-${c.step}`,
    fine_tuning_job_id: job.id,
    step_number: c.step,
    metrics: { step: c.step, train_loss: c.trainLoss, valid_loss: c.valLoss },
  };
}

// ---- pages ----

export interface OpenAiPage<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export function page<T extends { id: string }>(data: T[], hasMore: boolean): OpenAiPage<T> {
  return { object: "list", data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** A cursor page of `items` (already in listing order): those after the item `after`, at most `limit`. */
export function pageAfter<T extends { id: string }>(items: T[], options: { after?: string; limit: number }): OpenAiPage<T> {
  let from = 0;
  if (options.after) {
    const at = items.findIndex((i) => i.id === options.after);
    if (at < 0) throw new AppError("VALIDATION", `There is no ${options.after} to list after.`, { fieldErrors: { after: ["not in this list"] } });
    from = at + 1;
  }
  const data = items.slice(from, from + options.limit);
  return page(data, from + options.limit < items.length);
}

/** `limit` and `after` from a query string; `limit` from 1 to `max`. */
export function parseListQuery(params: URLSearchParams, defaults: { limit: number; max: number }): { limit: number; after?: string } {
  const raw = params.get("limit");
  let limit = defaults.limit;
  if (raw !== null && raw !== "") {
    limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > defaults.max) {
      throw new AppError("VALIDATION", `limit must be an integer from 1 to ${defaults.max}; got "${raw}".`, { fieldErrors: { limit: [`1 to ${defaults.max}`] } });
    }
  }
  const after = params.get("after") || undefined;
  return { limit, after };
}

// ---- the create-job request ----

const auto = z.literal("auto");
/** OpenAI's three, each a value or "auto" (Kindling's default), and Kindling's extras. */
const hyperparametersInput = z
  .object({
    n_epochs: z.union([auto, z.number().int().min(1).max(50)]).optional(),
    batch_size: z.union([auto, z.number().int().min(1).max(64)]).optional(),
    learning_rate_multiplier: z.union([auto, z.number().positive().max(1000)]).optional(),
    method: z.enum(METHODS).optional(),
    learning_rate: z.number().positive().max(1).optional(),
    lora_rank: z.number().int().min(1).max(64).optional(),
    lora_alpha: z.number().positive().max(256).optional(),
    warmup: z.number().min(0).max(0.5).optional(),
    max_length: z.number().int().min(16).max(8192).optional(),
  })
  .strict();
type HyperparametersInput = z.infer<typeof hyperparametersInput>;

const createJobInput = z
  .object({
    model: z.string({ error: "model is required: the local base model to fine-tune" }).min(1, "model is required"),
    training_file: z.string({ error: "training_file is required: the id of an uploaded file" }).min(1, "training_file is required"),
    validation_file: z.string().min(1).nullish(),
    suffix: z.string().nullish(),
    seed: z.number().int().min(0).max(2_147_483_647).nullish(),
    hyperparameters: hyperparametersInput.nullish(),
    method: z
      .object({
        type: z.string(),
        supervised: z.object({ hyperparameters: hyperparametersInput.nullish() }).nullish(),
        dpo: z.unknown().optional(),
        reinforcement: z.unknown().optional(),
      })
      .nullish(),
    integrations: z.array(z.unknown()).nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
  })
  .strict();

export interface CreateJobRequest {
  model: string;
  trainingFile: string;
  validationFile: string | null;
  suffix: string;
  seed: number | null;
  hyperparameters: HyperparametersInput;
  /** Where the hyperparameters came from, to name params in errors. */
  hyperparametersAt: "hyperparameters" | "method.supervised.hyperparameters";
}

function fieldError(param: string, message: string): AppError {
  return new AppError("VALIDATION", message, { fieldErrors: { [param]: [message] } });
}

/** The request body of POST /v1/fine_tuning/jobs, checked; errors name OpenAI's param. */
export function parseCreateJobRequest(body: unknown): CreateJobRequest {
  const parsed = createJobInput.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue.path.join(".") || null;
    const what =
      issue.code === "unrecognized_keys"
        ? `Unknown parameter${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => [...issue.path, k].join(".")).join(", ")}.`
        : `${param ?? "The body"}: ${issue.message}.`;
    const name = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]].join(".") : param;
    throw new AppError("VALIDATION", what, name ? { fieldErrors: { [name]: [issue.message] } } : {});
  }
  const b = parsed.data;
  if (b.method && b.method.type !== "supervised") {
    throw fieldError("method.type", `method.type "${b.method.type}" is not supported: Kindling's trainer does supervised fine-tuning only.`);
  }
  const nested = b.method?.supervised?.hyperparameters;
  if (nested && b.hyperparameters) {
    throw fieldError("hyperparameters", "Send hyperparameters either under method.supervised.hyperparameters or at the top level, not both.");
  }
  const hyperparametersAt = nested ? "method.supervised.hyperparameters" : "hyperparameters";
  const hyperparameters = nested ?? b.hyperparameters ?? {};
  if (hyperparameters.learning_rate !== undefined && hyperparameters.learning_rate_multiplier !== undefined && hyperparameters.learning_rate_multiplier !== "auto") {
    throw fieldError(`${hyperparametersAt}.learning_rate`, "Send learning_rate or learning_rate_multiplier, not both.");
  }
  return {
    model: b.model,
    trainingFile: b.training_file,
    validationFile: b.validation_file ?? null,
    suffix: b.suffix ?? "",
    seed: b.seed ?? null,
    hyperparameters,
    hyperparametersAt,
  };
}

const PARAM_OF_HYPERPARAMETER: Record<keyof Hyperparameters, string> = {
  epochs: "n_epochs",
  batchSize: "batch_size",
  learningRate: "learning_rate_multiplier",
  loraRank: "lora_rank",
  loraAlpha: "lora_alpha",
  warmup: "warmup",
  maxLength: "max_length",
  seed: "seed",
};

/** The OpenAI param for a field of Kindling's spec (as lib/fine-tuning names it in fieldErrors). */
export function openAiParamOf(field: string, request: Pick<CreateJobRequest, "hyperparametersAt" | "hyperparameters">): string {
  if (field === "baseModel") return "model";
  if (field === "datasetId") return "training_file";
  if (field === "validation" || field.startsWith("validation.")) return "validation_file";
  if (field === "method") return `${request.hyperparametersAt}.method`;
  if (field === "hyperparameters.seed") return "seed";
  if (field.startsWith("hyperparameters.")) {
    const key = field.slice("hyperparameters.".length) as keyof Hyperparameters;
    const name = key === "learningRate" && request.hyperparameters.learning_rate !== undefined ? "learning_rate" : PARAM_OF_HYPERPARAMETER[key];
    if (name) return `${request.hyperparametersAt}.${name}`;
  }
  return field;
}

/** The same error with its fieldErrors renamed to OpenAI's params, so `param` names what the client sent. */
export function withOpenAiParams(error: unknown, request: Pick<CreateJobRequest, "hyperparametersAt" | "hyperparameters">): unknown {
  if (!(error instanceof AppError) || !error.fieldErrors) return error;
  const renamed: FieldErrors = {};
  for (const [field, messages] of Object.entries(error.fieldErrors)) renamed[openAiParamOf(field, request)] = messages;
  return new AppError(error.code, error.message, { cause: error.cause, fieldErrors: renamed, retryAfterSeconds: error.retryAfterSeconds });
}

/**
 * Kindling's spec for a checked request, given the datasets its file ids name and the base's
 * recommended method and context. "auto" and missing values take Kindling's defaults.
 */
export function toFineTuningSpec(
  request: CreateJobRequest,
  resolved: { datasetId: string; validationDatasetId: string | null; recommendedMethod: Method; contextLength: number },
): FineTuningSpec {
  const h = request.hyperparameters;
  const method = h.method ?? resolved.recommendedMethod;
  const defaults = defaultHyperparameters(method, resolved.contextLength);
  const pick = <T>(v: T | "auto" | undefined, d: T): T => (v === undefined || v === "auto" ? d : v);
  const learningRate = h.learning_rate ?? defaults.learningRate * pick(h.learning_rate_multiplier, 1);
  const spec = {
    baseModel: request.model,
    datasetId: resolved.datasetId,
    validation: resolved.validationDatasetId ? { kind: "dataset" as const, datasetId: resolved.validationDatasetId } : { kind: "none" as const },
    method,
    suffix: request.suffix,
    hyperparameters: {
      epochs: pick(h.n_epochs, defaults.epochs),
      batchSize: pick(h.batch_size, defaults.batchSize),
      learningRate,
      loraRank: h.lora_rank ?? defaults.loraRank,
      loraAlpha: h.lora_alpha ?? defaults.loraAlpha,
      warmup: h.warmup ?? defaults.warmup,
      maxLength: h.max_length ?? defaults.maxLength,
      seed: request.seed ?? defaults.seed,
    },
  };
  const checked = createFineTuningJobSchema.safeParse(spec);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const param = openAiParamOf(issue.path.join("."), request);
    throw fieldError(param, `${param}: ${issue.message}.`);
  }
  return checked.data;
}
