// The wizard's estimate of a job: optimizer steps counted as the trainer counts them (the same plan:
// shuffled by the seed, packed, batched), time from this machine's measured trainer throughput plus
// what a job does around training (start the trainer, validation passes, the before/after check).
import { planRun } from "@/lib/training/plan";
import type { Hyperparameters } from "./schemas";

/**
 * Trainer throughput per parameter when no job has finished on the base here yet: the starter
 * (0.92M parameters) trained at 1,216 tok/s through the API at moderate load and 1,470-2,040 tok/s
 * in the resume test at load 5-10 on this 2-core machine: about 1.3e9 parameter-tokens per second.
 */
export const DEFAULT_PARAM_TOKENS_PER_SECOND = 1.3e9;
/** From a job's start to its first step, plus writing the model: spawn, load base and data, start threads (measured 4.3-5.5 s). */
export const START_SECONDS = 5;
/** The before/after check: two llama.cpp processes load, then greedy answers (10 examples took 13-30 s at load 5-10). */
export const CHECK_SECONDS = 8;
export const CHECK_SECONDS_PER_EXAMPLE = 1.5;
/** The check scores at most this many validation examples (lib/fine-tuning/evaluate.ts). */
export const CHECK_EXAMPLE_LIMIT = 100;
/** A validation pass runs forward only: about a third of a training step's work per token. */
const EVAL_COST = 1 / 3;

export interface Estimate {
  tokensPerEpoch: number;
  totalTokens: number;
  steps: number;
  tokensPerSecond: number;
  /** Training steps alone. */
  trainingSeconds: number;
  /** Starting the trainer, validation passes and the before/after check. */
  overheadSeconds: number;
  seconds: number;
  /** Where tokensPerSecond came from. */
  basis: "measured" | "default";
  measuredJobs: number;
  costUsd: number;
}

export function estimateJob(input: {
  /** Token count of each training example, in file order. */
  trainLengths: readonly number[];
  /** Token counts of the validation examples (empty without validation). */
  validationLengths: readonly number[];
  hyperparameters: Pick<Hyperparameters, "epochs" | "batchSize" | "maxLength" | "seed">;
  contextLength: number;
  parameterCount: number;
  /** Trainer tokens/s of this machine's finished jobs on this base. */
  measuredTokensPerSecond: number[];
}): Estimate {
  const h = input.hyperparameters;
  const validation = input.validationLengths.length > 0;
  const plan = planRun(input.trainLengths, {
    rowLength: Math.min(h.maxLength, input.contextLength),
    batch: h.batchSize,
    epochs: h.epochs,
    seed: h.seed,
    validation,
  });
  const totalTokens = plan.tokensPerEpoch * h.epochs;
  const measured = [...input.measuredTokensPerSecond].sort((a, b) => a - b);
  const tokensPerSecond = measured.length ? measured[Math.floor(measured.length / 2)] : DEFAULT_PARAM_TOKENS_PER_SECOND / Math.max(1, input.parameterCount);
  const trainingSeconds = totalTokens / Math.max(1, tokensPerSecond);
  const validationTokens = input.validationLengths.reduce((s, n) => s + n, 0);
  const evalSeconds = (plan.evaluations * validationTokens * EVAL_COST) / Math.max(1, tokensPerSecond);
  const checkSeconds = validation ? CHECK_SECONDS + CHECK_SECONDS_PER_EXAMPLE * Math.min(CHECK_EXAMPLE_LIMIT, input.validationLengths.length) : 0;
  const overheadSeconds = START_SECONDS + evalSeconds + checkSeconds;
  return {
    tokensPerEpoch: plan.tokensPerEpoch,
    totalTokens,
    steps: plan.totalSteps,
    tokensPerSecond,
    trainingSeconds,
    overheadSeconds,
    seconds: trainingSeconds + overheadSeconds,
    basis: measured.length ? "measured" : "default",
    measuredJobs: measured.length,
    // The local trainer runs on this machine: no per-token charge.
    costUsd: 0,
  };
}
