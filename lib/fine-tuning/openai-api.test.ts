import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { FineTuningJobDto } from "./jobs";
import {
  badLinesError,
  datasetIdOf,
  fileIdOf,
  openAiParamOf,
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
import { defaultHyperparameters } from "./schemas";

const DS = "ds-0123456789abcdef01234567";
const VAL = "ds-fedcba9876543210fedcba98";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a throw");
}

const job = (over: Partial<FineTuningJobDto> = {}): FineTuningJobDto => ({
  id: "ftjob-abcdef0123456789abcd",
  status: "queued",
  cancelRequested: false,
  attempts: 0,
  baseModel: "kindling-starter",
  datasetId: DS,
  datasetName: "train.jsonl",
  validation: { kind: "none" },
  method: "full",
  hyperparameters: { ...defaultHyperparameters("full"), epochs: 1, batchSize: 4 },
  suffix: "",
  fineTunedModel: "ft-kindling-starter-abcdef",
  progress: null,
  result: null,
  error: null,
  createdAt: "2026-12-02T07:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  ...over,
});

describe("file ids", () => {
  it("map a dataset id to a file id and back, and refuse anything else", () => {
    expect(fileIdOf(DS)).toBe("file-0123456789abcdef01234567");
    expect(datasetIdOf(fileIdOf(DS))).toBe(DS);
    expect(datasetIdOf("file-abc")).toBeNull();
    expect(datasetIdOf(DS)).toBeNull();
    expect(() => fileIdOf("nope")).toThrow();
  });

  it("draw a dataset as OpenAI's file object", () => {
    expect(toOpenAiFile({ id: DS, name: "train.jsonl", sizeBytes: 1234, createdAt: "2026-12-02T07:00:01.900Z" })).toEqual({
      id: "file-0123456789abcdef01234567",
      object: "file",
      bytes: 1234,
      created_at: 1796194801,
      expires_at: null,
      filename: "train.jsonl",
      purpose: "fine-tune",
      status: "processed",
      status_details: null,
    });
  });

  it("name every bad line of a refused upload in the message", () => {
    const e = badLinesError("bad.jsonl", [{ line: 2, reason: "not JSON (x)" }, { line: 4, reason: "no assistant turn: nothing to learn from" }], 2);
    expect(e.code).toBe("VALIDATION");
    expect(e.message).toBe("bad.jsonl was not stored: 2 bad lines. line 2: not JSON (x); line 4: no assistant turn: nothing to learn from.");
    expect(Object.keys(e.fieldErrors!)).toEqual(["file"]);
    expect(badLinesError("big.jsonl", [{ line: 1, reason: "r" }], 1500).message).toContain("1500 bad lines (and 1499 more)");
  });
});

describe("jobs in OpenAI's shape", () => {
  it("reports a queued job with OpenAI's fields, hyperparameters in both places and no model yet", () => {
    const out = toOpenAiJob(job({ suffix: "demo", validation: { kind: "dataset", datasetId: VAL } }));
    expect(out).toMatchObject({
      id: "ftjob-abcdef0123456789abcd",
      object: "fine_tuning.job",
      created_at: 1796194800,
      finished_at: null,
      model: "kindling-starter",
      fine_tuned_model: null,
      status: "queued",
      training_file: "file-0123456789abcdef01234567",
      validation_file: "file-fedcba9876543210fedcba98",
      trained_tokens: null,
      error: null,
      seed: 1,
      user_provided_suffix: "demo",
      hyperparameters: { n_epochs: 1, batch_size: 4, learning_rate_multiplier: 1, method: "full", learning_rate: 1e-3, max_length: 256 },
    });
    expect(out.method).toEqual({ type: "supervised", supervised: { hyperparameters: out.hyperparameters } });
  });

  it("names the fine-tuned model only once it succeeded and was registered", () => {
    const done = job({ status: "succeeded", finishedAt: "2026-12-02T07:01:00.000Z", result: { registered: true, tokens: 4321 } });
    expect(toOpenAiJob(done)).toMatchObject({ status: "succeeded", fine_tuned_model: "ft-kindling-starter-abcdef", trained_tokens: 4321, finished_at: 1796194860 });
    const unregistered = job({ method: "lora", status: "succeeded", result: { registered: false, tokens: 10 } });
    expect(toOpenAiJob(unregistered).fine_tuned_model).toBeNull();
    // A LoRA result is registered as its adapter on the base, and named like a full one.
    const lora = job({ method: "lora", status: "succeeded", result: { registered: true, tokens: 10 } });
    expect(toOpenAiJob(lora).fine_tuned_model).toBe("ft-kindling-starter-abcdef");
    expect(toOpenAiJob(job({ status: "running", progress: { step: 1, totalSteps: 9, epoch: 0, trainLoss: 2, valLoss: null, tokensPerSecond: 9, etaSeconds: 30 } }), 1796194810_000)).toMatchObject({
      status: "running",
      fine_tuned_model: null,
      estimated_finish: 1796194840,
    });
  });

  it("reports a failed job's error and a cancelled job's finish", () => {
    expect(toOpenAiJob(job({ status: "failed", error: "the trainer crashed", finishedAt: "2026-12-02T07:00:05.000Z" })).error).toEqual({
      code: "training_failed",
      message: "the trainer crashed",
      param: null,
    });
    expect(toOpenAiJob(job({ status: "cancelled", finishedAt: "2026-12-02T07:00:05.000Z" }))).toMatchObject({ status: "cancelled", finished_at: 1796194805, error: null });
  });

  it("draws events and checkpoints with OpenAI's ids and objects", () => {
    expect(toOpenAiEvent({ id: 7, at: "2026-12-02T07:00:00.000Z", level: "warn", message: "Attempt failed", data: { step: 3 } })).toEqual({
      id: "ftevent-7",
      object: "fine_tuning.job.event",
      created_at: 1796194800,
      level: "warn",
      message: "Attempt failed",
      type: "message",
      data: { step: 3 },
    });
    expect(toOpenAiCheckpoint(job(), { step: 12, trainLoss: 1.5, valLoss: null, at: "2026-12-02T07:00:00.000Z" })).toEqual({
      id: "ftckpt-abcdef0123456789abcd-12",
      object: "fine_tuning.job.checkpoint",
      created_at: 1796194800,
      fine_tuned_model_checkpoint: "ft-kindling-starter-abcdef:ckpt-step-12",
      fine_tuning_job_id: "ftjob-abcdef0123456789abcd",
      step_number: 12,
      metrics: { step: 12, train_loss: 1.5, valid_loss: null },
    });
  });
});

describe("the create-job request", () => {
  const resolved = { datasetId: DS, validationDatasetId: null, recommendedMethod: "full" as const, contextLength: 256 };

  it("takes method.supervised.hyperparameters, with Kindling's defaults for auto and the rest", () => {
    const request = parseCreateJobRequest({
      model: "kindling-starter",
      training_file: "file-0123456789abcdef01234567",
      suffix: "csv",
      seed: 42,
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 1, batch_size: "auto", learning_rate_multiplier: 2 } } },
    });
    expect(toFineTuningSpec(request, resolved)).toEqual({
      baseModel: "kindling-starter",
      datasetId: DS,
      validation: { kind: "none" },
      method: "full",
      suffix: "csv",
      hyperparameters: { ...defaultHyperparameters("full"), epochs: 1, learningRate: 2e-3, seed: 42 },
    });
  });

  it("takes the older top-level hyperparameters and Kindling's extras (LoRA rank, method)", () => {
    const request = parseCreateJobRequest({
      model: "kindling-starter",
      training_file: "file-x",
      validation_file: "file-y",
      hyperparameters: { n_epochs: 3, method: "lora", lora_rank: 4, lora_alpha: 8, learning_rate: 0.02, max_length: 128 },
    });
    const spec = toFineTuningSpec(request, { ...resolved, validationDatasetId: VAL });
    expect(spec).toMatchObject({ method: "lora", validation: { kind: "dataset", datasetId: VAL } });
    expect(spec.hyperparameters).toMatchObject({ epochs: 3, loraRank: 4, loraAlpha: 8, learningRate: 0.02, maxLength: 128, seed: 1 });
  });

  it("names the param of each bad value", () => {
    const param = (body: unknown) => Object.keys(thrown(() => parseCreateJobRequest(body)).fieldErrors ?? {})[0];
    expect(param({ training_file: "file-x" })).toBe("model");
    expect(param({ model: "m" })).toBe("training_file");
    expect(param({ model: "m", training_file: "f", method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 0 } } } })).toBe(
      "method.supervised.hyperparameters.n_epochs",
    );
    expect(param({ model: "m", training_file: "f", hyperparameters: { batch_size: 1.5 } })).toBe("hyperparameters.batch_size");
    expect(param({ model: "m", training_file: "f", hyperparameters: { lora_rnak: 4 } })).toBe("hyperparameters.lora_rnak");
    expect(param({ model: "m", training_file: "f", method: { type: "dpo" } })).toBe("method.type");
    expect(param({ model: "m", training_file: "f", hyperparameters: {}, method: { type: "supervised", supervised: { hyperparameters: {} } } })).toBe("hyperparameters");
    expect(param({ model: "m", training_file: "f", hyperparameters: { learning_rate: 0.1, learning_rate_multiplier: 2 } })).toBe("hyperparameters.learning_rate");
    expect(thrown(() => parseCreateJobRequest({ model: "m", training_file: "f", method: { type: "dpo" } })).message).toMatch(/supervised fine-tuning only/);
    const big = parseCreateJobRequest({ model: "m", training_file: "f", hyperparameters: { method: "lora", learning_rate_multiplier: 200 } });
    expect(Object.keys(thrown(() => toFineTuningSpec(big, resolved)).fieldErrors!)).toEqual(["hyperparameters.learning_rate_multiplier"]);
    const suffix = parseCreateJobRequest({ model: "m", training_file: "f", suffix: "no spaces please" });
    expect(Object.keys(thrown(() => toFineTuningSpec(suffix, resolved)).fieldErrors!)).toEqual(["suffix"]);
  });

  it("renames lib/fine-tuning's fields to the params the client sent", () => {
    const at = { hyperparametersAt: "method.supervised.hyperparameters" as const, hyperparameters: {} };
    expect(openAiParamOf("baseModel", at)).toBe("model");
    expect(openAiParamOf("datasetId", at)).toBe("training_file");
    expect(openAiParamOf("validation.datasetId", at)).toBe("validation_file");
    expect(openAiParamOf("hyperparameters.maxLength", at)).toBe("method.supervised.hyperparameters.max_length");
    expect(openAiParamOf("hyperparameters.seed", at)).toBe("seed");
    const e = withOpenAiParams(new AppError("VALIDATION", "The trainer cannot fine-tune x.", { fieldErrors: { baseModel: ["quantized"] } }), at) as AppError;
    expect(e).toMatchObject({ code: "VALIDATION", message: "The trainer cannot fine-tune x.", fieldErrors: { model: ["quantized"] } });
  });
});

describe("cursor pages", () => {
  const items = ["a", "b", "c", "d", "e"].map((id) => ({ id }));

  it("pages after an id with has_more, and refuses an unknown cursor naming after", () => {
    expect(pageAfter(items, { limit: 2 })).toEqual({ object: "list", data: [{ id: "a" }, { id: "b" }], has_more: true, first_id: "a", last_id: "b" });
    expect(pageAfter(items, { limit: 2, after: "b" }).data.map((i) => i.id)).toEqual(["c", "d"]);
    expect(pageAfter(items, { limit: 2, after: "d" })).toMatchObject({ data: [{ id: "e" }], has_more: false });
    expect(pageAfter(items, { limit: 2, after: "e" })).toMatchObject({ data: [], has_more: false, first_id: null });
    expect(Object.keys(thrown(() => pageAfter(items, { limit: 2, after: "zz" })).fieldErrors!)).toEqual(["after"]);
  });

  it("reads limit and after from the query, refusing a bad limit", () => {
    expect(parseListQuery(new URLSearchParams("limit=5&after=x"), { limit: 20, max: 100 })).toEqual({ limit: 5, after: "x" });
    expect(parseListQuery(new URLSearchParams(""), { limit: 20, max: 100 })).toEqual({ limit: 20, after: undefined });
    expect(thrown(() => parseListQuery(new URLSearchParams("limit=0"), { limit: 20, max: 100 })).message).toBe('limit must be an integer from 1 to 100; got "0".');
  });
});
