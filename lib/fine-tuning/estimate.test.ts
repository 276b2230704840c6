// The estimate counts optimizer steps as the trainer does: checked against runTraining's own total
// on the sample data, for settings where packing makes a naive tokens/row-length count wrong.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonl } from "@/lib/training/data";
import { runTraining } from "@/lib/training/trainer";
import { DEFAULT_PARAM_TOKENS_PER_SECOND, START_SECONDS, estimateJob } from "./estimate";

const sample = readFileSync(path.resolve("assets/starter/finetune-csv.train.jsonl"), "utf8").trim().split("\n");
const val = readFileSync(path.resolve("assets/starter/finetune-csv.val.jsonl"), "utf8").trim().split("\n").slice(0, 12);
const examples = (lines: string[]) => parseJsonl(lines.join("\n"), { contextLength: 256 });

/** The trainer's own total steps for these settings (it stops at its first step). */
async function trainerSteps(lines: string[], h: { epochs: number; batchSize: number; maxLength: number; seed: number }): Promise<number> {
  const ac = new AbortController();
  const run = await runTraining(
    { base: "tiny", data: examples(lines), epochs: h.epochs, batch: h.batchSize, rowLength: h.maxLength, seed: h.seed, threads: 1 },
    { signal: ac.signal, onProgress: () => ac.abort() },
  );
  return run.totalSteps;
}

describe("estimateJob", () => {
  const cases = [
    { lines: 90, epochs: 2, batchSize: 8, maxLength: 256, seed: 1 },
    { lines: 400, epochs: 1, batchSize: 8, maxLength: 256, seed: 3 },
    { lines: 250, epochs: 3, batchSize: 3, maxLength: 128, seed: 7 },
  ];
  for (const c of cases) {
    it(`counts the trainer's steps: ${c.lines} examples, ${c.epochs} epochs, batch ${c.batchSize}, rows of ${c.maxLength}`, async () => {
      const lines = sample.slice(0, c.lines);
      const e = estimateJob({
        trainLengths: examples(lines).map((x) => x.tokens.length),
        validationLengths: [],
        hyperparameters: c,
        contextLength: 256,
        parameterCount: 920_960,
        measuredTokensPerSecond: [],
      });
      expect(e.steps).toBe(await trainerSteps(lines, c));
    });
  }

  it("adds the fixed costs and the validation passes to the training time, from measured throughput when there is some", () => {
    const trainLengths = examples(sample.slice(0, 90)).map((x) => x.tokens.length);
    const h = { epochs: 2, batchSize: 8, maxLength: 256, seed: 1 };
    const base = { trainLengths, hyperparameters: h, contextLength: 256, parameterCount: 920_960 };
    const none = estimateJob({ ...base, validationLengths: [], measuredTokensPerSecond: [] });
    expect(none.basis).toBe("default");
    expect(none.tokensPerSecond).toBeCloseTo(DEFAULT_PARAM_TOKENS_PER_SECOND / 920_960);
    expect(none.totalTokens).toBe(trainLengths.reduce((s, n) => s + n, 0) * 2);
    expect(none.trainingSeconds).toBeCloseTo(none.totalTokens / none.tokensPerSecond);
    expect(none.seconds).toBeCloseTo(none.trainingSeconds + START_SECONDS);

    const withVal = estimateJob({ ...base, validationLengths: examples(val).map((x) => x.tokens.length), measuredTokensPerSecond: [900, 1500, 1200] });
    expect(withVal.basis).toBe("measured");
    expect(withVal.tokensPerSecond).toBe(1200);
    expect(withVal.overheadSeconds).toBeGreaterThan(START_SECONDS + 8);
    expect(withVal.seconds).toBeCloseTo(withVal.trainingSeconds + withVal.overheadSeconds);
  });
});
