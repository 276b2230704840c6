// Tiny random Llama models with the Kindling vocabulary, for tests and benchmarks (deterministic by seed).

import { BYTE_BASE, END_ID, SPACE_ID, VOCAB_SIZE } from "./kindling-vocab";
import { llamaTensorShapes, writeLlamaGguf, type LlamaHParams } from "./llama";

export interface TestModelOptions {
  seed?: number;
  embeddingLength?: number;
  blockCount?: number;
  headCount?: number;
  headCountKv?: number;
  feedForwardLength?: number;
  contextLength?: number;
  fileType?: "F32" | "F16";
  /** Let the model end its turn with `<|end|>` (off by default, so it writes until max_tokens or a stop). */
  allowEnd?: boolean;
  /** Ask llama.cpp to put `<s>` before every input (as many downloaded models do). */
  addBos?: boolean;
  name?: string;
}

/** Deterministic PRNG (mulberry32) with a Box-Muller normal. */
function rng(seed: number): { normal: () => number } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { normal: () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform()) };
}

/** Whether a random test model may emit this token: printable ASCII, newline and `▁`. */
export function isTestModelToken(id: number, allowEnd = false): boolean {
  if (id === SPACE_ID) return true;
  if (id === END_ID) return allowEnd;
  const byte = id - BYTE_BASE;
  return byte === 0x0a || (byte >= 0x20 && byte <= 0x7e);
}

/**
 * Random weights that only ever emit printable ASCII: embedding channel 0 is 1 for every token and no
 * layer writes to it, so column 0 of output.weight acts as a per-token logit bias (lib/gguf/FORMAT.md, "Random-weight test models").
 */
export function createTestModel(opts: TestModelOptions = {}): { hparams: LlamaHParams; weights: Map<string, Float32Array> } {
  const d = opts.embeddingLength ?? 64;
  const headCount = opts.headCount ?? 4;
  const hparams: LlamaHParams = {
    name: opts.name ?? "kindling-test",
    vocabSize: VOCAB_SIZE,
    contextLength: opts.contextLength ?? 1024,
    embeddingLength: d,
    blockCount: opts.blockCount ?? 2,
    feedForwardLength: opts.feedForwardLength ?? d * 2,
    headCount,
    headCountKv: opts.headCountKv ?? Math.max(1, headCount / 2),
    rmsEps: 1e-5,
    ropeFreqBase: 10000,
  };
  const { normal } = rng(opts.seed ?? 1);
  const weights = new Map<string, Float32Array>();
  for (const [name, ne] of llamaTensorShapes(hparams)) {
    const data = new Float32Array(ne.reduce((a, b) => a * b, 1));
    if (ne.length === 1) {
      for (let i = 0; i < data.length; i++) data[i] = 1 + 0.1 * normal();
      data[0] = 1;
    } else {
      const std = 1 / Math.sqrt(ne[0]);
      for (let i = 0; i < data.length; i++) data[i] = std * normal();
    }
    weights.set(name, data);
  }
  const emb = weights.get("token_embd.weight")!;
  for (let v = 0; v < hparams.vocabSize; v++) {
    for (let i = 0; i < d; i++) emb[v * d + i] = i === 0 ? 1 : normal();
  }
  for (let l = 0; l < hparams.blockCount; l++) {
    // Row 0 of the projections back into the residual stream: nothing writes to channel 0.
    weights.get(`blk.${l}.attn_output.weight`)!.fill(0, 0, headCount * (d / headCount));
    weights.get(`blk.${l}.ffn_down.weight`)!.fill(0, 0, hparams.feedForwardLength);
  }
  const out = weights.get("output.weight")!;
  for (let v = 0; v < hparams.vocabSize; v++) {
    for (let i = 1; i < d; i++) out[v * d + i] *= 3;
    out[v * d] = isTestModelToken(v, opts.allowEnd) ? 0 : -100;
  }
  return { hparams, weights };
}

/** Writes a random test model to `path` and returns its hyper-parameters and weights. */
export async function writeTestModel(
  path: string,
  opts: TestModelOptions = {},
): Promise<{ hparams: LlamaHParams; weights: Map<string, Float32Array> }> {
  const model = createTestModel(opts);
  await writeLlamaGguf(path, model.hparams, model.weights, { fileType: opts.fileType ?? "F32", addBos: opts.addBos });
  return model;
}
