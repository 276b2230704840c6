// How a run is laid out, in one place for the trainer and the fine-tuning estimate, so they count
// alike: the training examples shuffled by the seed, packed greedily into rows, rows batched into
// optimizer steps, validation at the start and about ten times a run.
import { rowStarts, shuffle } from "./data";

export interface RunPlan {
  /** Packed training rows per epoch. */
  rows: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Training tokens per epoch (packing adds none: rows are not padded). */
  tokensPerEpoch: number;
  /** Validation every this many steps (and at the last). */
  evalEvery: number;
  /** Validation passes in the run: one before the first step, then every evalEvery steps and at the last. */
  evaluations: number;
}

export function planRun(
  trainLengths: readonly number[],
  options: { rowLength: number; batch: number; epochs: number; seed: number; evalEvery?: number; validation: boolean },
): RunPlan {
  const rows = rowStarts(shuffle([...trainLengths], options.seed), options.rowLength).length;
  const stepsPerEpoch = Math.ceil(rows / options.batch);
  const totalSteps = stepsPerEpoch * options.epochs;
  const evalEvery = options.evalEvery ?? Math.max(1, Math.floor(totalSteps / 10));
  const evaluations = options.validation ? 1 + Math.floor(totalSteps / evalEvery) + (totalSteps % evalEvery ? 1 : 0) : 0;
  return { rows, stepsPerEpoch, totalSteps, tokensPerEpoch: trainLengths.reduce((s, n) => s + n, 0), evalEvery, evaluations };
}
