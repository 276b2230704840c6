// The OpenAI files and fine-tuning API on the console's own port (registered in
// lib/bootstrap/start-console.ts): /v1/files and /v1/fine_tuning/jobs. API keys only, acting with
// their owner's current role (viewer reads, member writes); shapes from openai-api.ts; the work is
// done by lib/datasets and jobs.ts, the same functions the fine-tuning pages use.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import busboy from "busboy";
import { getDb, type Db } from "@/db/client";
import { keyAllowsModel, type VerifiedApiKey } from "@/lib/api-keys/api-keys";
import { takeRateLimit } from "@/lib/api-keys/limits";
import { requirePrincipalRole } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { createDataset, getDataset, listDatasets } from "@/lib/datasets/datasets";
import { MAX_UPLOAD_BYTES } from "@/lib/datasets/ingest";
import { AppError } from "@/lib/errors";
import { readJsonBody, sendJson, type DirectHandler } from "@/lib/http/direct-routes";
import { gatewayKey } from "@/lib/inference/gateway-http";
import { toOpenAiError } from "@/lib/inference/openai-shapes";
import { listJobEvents } from "@/lib/jobs/queue";
import { getTrainableBase, listBaseModels } from "./bases";
import { cancelFineTuningJob, createFineTuningJob, getFineTuningJob, listCheckpoints, listFineTuningJobs } from "./jobs";
import {
  badLinesError,
  datasetIdOf,
  page,
  pageAfter,
  parseCreateJobRequest,
  parseListQuery,
  toFineTuningSpec,
  toOpenAiCheckpoint,
  toOpenAiEvent,
  toOpenAiFile,
  toOpenAiJob,
  withOpenAiParams,
} from "./openai-api";

const MAX_JSON_BYTES = 1_000_000;

function sendError(res: ServerResponse, error: unknown): void {
  const e = toOpenAiError(error, {
    overrides: {
      NOT_FOUND: { code: "not_found", param: null },
      FORBIDDEN: { code: "insufficient_role", param: null },
      CONFLICT: { code: "invalid_job_state", param: null },
    },
  });
  sendJson(res, e.status, e.body, e.headers);
}

/** The request's API key, refused unless its owner has `role` now; counts against its rate limit. */
async function apiKeyWithRole(req: IncomingMessage, role: Role): Promise<VerifiedApiKey> {
  const key = await gatewayKey(req);
  requirePrincipalRole({ kind: "api_key", user: key.owner, apiKey: key }, role);
  takeRateLimit(key.id, key.rpmLimit);
  return key;
}

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? "/", "http://localhost").searchParams;
}

/** Wraps a handler: errors become OpenAI-shaped responses, sent once. */
function route(handler: DirectHandler): DirectHandler {
  return async (req, res, params) => {
    try {
      await handler(req, res, params);
    } catch (error) {
      if (!res.headersSent) sendError(res, error);
      else res.end();
    }
  };
}

function fieldError(code: "VALIDATION" | "NOT_FOUND", param: string, message: string): AppError {
  return new AppError(code, message, { fieldErrors: { [param]: [message] } });
}

// ---- files ----

/**
 * Lengths are checked at upload against the longest context among the bases the trainer can train;
 * creating a job checks the file again against the chosen base.
 */
async function uploadContextLength(): Promise<number> {
  const trainable = (await listBaseModels()).filter((b) => b.trainable);
  if (!trainable.length) {
    throw new AppError("UNAVAILABLE", "There is no local model the trainer can fine-tune, so uploaded files cannot be checked. Add an F16 or F32 Kindling model to the models folder.");
  }
  return Math.max(...trainable.map((b) => b.contextLength ?? 256));
}

/**
 * Streams a multipart upload's `file` part into `store` (never held in memory). The form may carry
 * `purpose` after the file, so the source checks the whole form once the file's bytes are read:
 * a form that does not check out makes `store` fail, and nothing is kept.
 */
async function receiveUpload<T>(req: IncomingMessage, store: (source: AsyncIterable<Uint8Array>, filename: string) => Promise<T>): Promise<T> {
  let form: busboy.Busboy;
  try {
    form = busboy({ headers: req.headers, limits: { fields: 20, fieldSize: 64 * 1024, parts: 40 } });
  } catch {
    throw fieldError("VALIDATION", "file", "Send the upload as multipart/form-data with the fields file and purpose.");
  }
  const fields = new Map<string, string>();
  const problems: AppError[] = [];
  let stored: Promise<T> | null = null;
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const parsed = new Promise<void>((resolve, reject) => {
    form.on("close", resolve);
    form.on("error", (error) => reject(fieldError("VALIDATION", "file", `The multipart body could not be read: ${(error as Error).message}.`)));
    req.on("aborted", () => reject(new AppError("VALIDATION", "The upload was interrupted before it ended.")));
  });
  parsed.catch(() => undefined);
  const checkForm = () => {
    if (problems.length) throw problems[0];
    const purpose = fields.get("purpose");
    if (purpose === undefined || purpose === "") throw fieldError("VALIDATION", "purpose", `purpose is required: send purpose "fine-tune".`);
    if (purpose !== "fine-tune") {
      throw fieldError("VALIDATION", "purpose", `purpose "${purpose}" is not supported: Kindling stores fine-tuning files only (purpose "fine-tune").`);
    }
  };
  form.on("field", (name, value) => fields.set(name, value));
  form.on("partsLimit", () => problems.push(new AppError("VALIDATION", "The form has too many parts; send file and purpose.")));
  form.on("file", (name, stream, info) => {
    if (name !== "file" || stored) {
      problems.push(fieldError("VALIDATION", "file", name === "file" ? "Send one file per upload." : `Unexpected file field "${name}"; send the file as the field named file.`));
      stream.resume();
      return;
    }
    async function* source(): AsyncGenerator<Uint8Array> {
      for await (const chunk of stream) yield chunk as Uint8Array;
      await parsed;
      checkForm();
    }
    stored = store(source(), info.filename || "upload.jsonl");
    stored.catch(fail);
  });
  req.pipe(form);
  try {
    await Promise.race([parsed, failed]);
    if (!stored) {
      checkForm();
      throw fieldError("VALIDATION", "file", "file is required: attach the JSONL file as the multipart field named file.");
    }
    return await stored;
  } catch (error) {
    // Read and drop whatever the client still sends, so it gets the error rather than a reset.
    req.unpipe(form);
    req.resume();
    throw error;
  }
}

async function handleCreateFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const key = await apiKeyWithRole(req, "member");
  const db = await getDb();
  const contextLength = await uploadContextLength();
  let filename = "";
  const result = await receiveUpload(req, (source, name) => {
    filename = name;
    return createDataset(db, source, { name, format: "jsonl", contextLength, validationPercent: 0, maxBytes: MAX_UPLOAD_BYTES, createdBy: key.owner.id });
  });
  if (!result.ok) throw badLinesError(filename, result.issues, result.issueCount);
  sendJson(res, 200, toOpenAiFile(result.dataset));
}

async function handleListFiles(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await apiKeyWithRole(req, "viewer");
  const params = query(req);
  const { limit, after } = parseListQuery(params, { limit: 10_000, max: 10_000 });
  const order = params.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") throw fieldError("VALIDATION", "order", `order must be "asc" or "desc"; got "${order}".`);
  const purpose = params.get("purpose");
  const files = purpose && purpose !== "fine-tune" ? [] : (await listDatasets(await getDb(), { limit: 10_000 })).map(toOpenAiFile);
  if (order === "asc") files.reverse();
  sendJson(res, 200, pageAfter(files, { limit, after }));
}

async function handleGetFile(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): Promise<void> {
  await apiKeyWithRole(req, "viewer");
  const missing = fieldError("NOT_FOUND", "file_id", `No such File object: ${params.id}.`);
  const datasetId = datasetIdOf(params.id);
  if (!datasetId) throw missing;
  const dataset = await getDataset(await getDb(), datasetId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "NOT_FOUND" ? missing : error;
  });
  sendJson(res, 200, toOpenAiFile(dataset));
}

// ---- fine-tuning jobs ----

/** The dataset a file id names, or a VALIDATION error naming `param`. */
async function datasetOfFile(db: Db, fileId: string, param: string): Promise<string> {
  const missing = fieldError("VALIDATION", param, `${param}: there is no file ${fileId}. Upload it first with POST /v1/files and purpose "fine-tune".`);
  const datasetId = datasetIdOf(fileId);
  if (!datasetId) throw missing;
  await getDataset(db, datasetId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "NOT_FOUND" ? missing : error;
  });
  return datasetId;
}

async function handleCreateJob(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const key = await apiKeyWithRole(req, "member");
  const request = parseCreateJobRequest(await readJsonBody(req, MAX_JSON_BYTES));
  if (!keyAllowsModel(key, request.model)) {
    throw new AppError("FORBIDDEN", `This API key may not use the model ${request.model}.`, { fieldErrors: { model: ["not allowed for this key"] } });
  }
  const db = await getDb();
  try {
    const base = await getTrainableBase(request.model);
    const datasetId = await datasetOfFile(db, request.trainingFile, "training_file");
    const validationDatasetId = request.validationFile ? await datasetOfFile(db, request.validationFile, "validation_file") : null;
    const spec = toFineTuningSpec(request, {
      datasetId,
      validationDatasetId,
      recommendedMethod: base.recommended.method,
      contextLength: base.contextLength ?? 256,
    });
    const job = await createFineTuningJob(db, spec, key.owner.id);
    sendJson(res, 200, toOpenAiJob(job));
  } catch (error) {
    throw withOpenAiParams(error, request);
  }
}

async function handleListJobs(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await apiKeyWithRole(req, "viewer");
  const { limit, after } = parseListQuery(query(req), { limit: 20, max: 100 });
  const rows = await listFineTuningJobs(await getDb(), { limit: limit + 1, after });
  sendJson(res, 200, page(rows.slice(0, limit).map((j) => toOpenAiJob(j)), rows.length > limit));
}

async function jobOrNotFound(db: Db, id: string) {
  return getFineTuningJob(db, id).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "NOT_FOUND" ? fieldError("NOT_FOUND", "fine_tuning_job_id", `No fine-tuning job ${id}.`) : error;
  });
}

async function handleGetJob(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): Promise<void> {
  await apiKeyWithRole(req, "viewer");
  sendJson(res, 200, toOpenAiJob(await jobOrNotFound(await getDb(), params.id)));
}

async function handleCancelJob(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): Promise<void> {
  await apiKeyWithRole(req, "member");
  const db = await getDb();
  await jobOrNotFound(db, params.id);
  const job = await cancelFineTuningJob(db, params.id).catch(async (error: unknown) => {
    if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    const { status } = await getFineTuningJob(db, params.id);
    throw new AppError("CONFLICT", `Fine-tuning job ${params.id} has already ${status === "cancelled" ? "been cancelled" : status}; it cannot be cancelled.`);
  });
  sendJson(res, 200, toOpenAiJob(job));
}

async function handleListEvents(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): Promise<void> {
  await apiKeyWithRole(req, "viewer");
  const { limit, after } = parseListQuery(query(req), { limit: 20, max: 1000 });
  const db = await getDb();
  await jobOrNotFound(db, params.id);
  // Newest first, as OpenAI lists them; a job has tens of events, so the page is cut here.
  const events = (await listJobEvents(db, params.id, { limit: 100_000 })).reverse();
  sendJson(res, 200, pageAfter(events.map((e) => toOpenAiEvent({ ...e, at: e.at.toISOString() })), { limit, after }));
}

async function handleListCheckpoints(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): Promise<void> {
  await apiKeyWithRole(req, "viewer");
  const { limit, after } = parseListQuery(query(req), { limit: 10, max: 1000 });
  const db = await getDb();
  const job = await jobOrNotFound(db, params.id);
  const checkpoints = (await listCheckpoints(db, params.id)).reverse();
  sendJson(res, 200, pageAfter(checkpoints.map((c) => toOpenAiCheckpoint(job, c)), { limit, after }));
}

/** The routes, for registerDirectRoute at start. */
export const OPENAI_FINE_TUNING_ROUTES: readonly [method: string, path: string, handler: DirectHandler][] = [
  ["POST", "/v1/files", route(handleCreateFile)],
  ["GET", "/v1/files", route(handleListFiles)],
  ["GET", "/v1/files/:id", route(handleGetFile)],
  ["POST", "/v1/fine_tuning/jobs", route(handleCreateJob)],
  ["GET", "/v1/fine_tuning/jobs", route(handleListJobs)],
  ["GET", "/v1/fine_tuning/jobs/:id", route(handleGetJob)],
  ["POST", "/v1/fine_tuning/jobs/:id/cancel", route(handleCancelJob)],
  ["GET", "/v1/fine_tuning/jobs/:id/events", route(handleListEvents)],
  ["GET", "/v1/fine_tuning/jobs/:id/checkpoints", route(handleListCheckpoints)],
];
