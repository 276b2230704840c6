// Where a training run's weights come from and go to: presets for training from scratch, Kindling
// GGUF bases (via lib/gguf's reader), and export of a full model or a LoRA adapter (via lib/gguf's writer).
import { readLlamaGguf, writeLlamaGguf, writeLoraAdapterGguf, type LlamaHParams, type LoraTensorPair } from "../gguf/llama";
import { ggufValue } from "../gguf/reader";
import { VOCAB_SIZE, kindlingVocab } from "../gguf/kindling-vocab";
import { baseLayout, loraLayout, type LoraConfig, type ModelConfig } from "./model";

const common = { vocabSize: VOCAB_SIZE, ropeBase: 10000, normEps: 1e-5 };

/** Model shapes for training from scratch with the Kindling byte vocabulary. */
export const PRESETS: Record<string, ModelConfig> = {
  tiny: { ...common, dim: 32, nLayers: 2, nHeads: 2, nKvHeads: 1, ffnDim: 96, contextLength: 256 },
  small: { ...common, dim: 128, nLayers: 4, nHeads: 4, nKvHeads: 4, ffnDim: 384, contextLength: 256 },
  medium: { ...common, dim: 256, nLayers: 6, nHeads: 8, nKvHeads: 8, ffnDim: 704, contextLength: 256 },
};

export function isPreset(name: string): boolean {
  return Object.hasOwn(PRESETS, name);
}

export function toHParams(cfg: ModelConfig, name: string): LlamaHParams {
  return {
    name, vocabSize: cfg.vocabSize, contextLength: cfg.contextLength, embeddingLength: cfg.dim, blockCount: cfg.nLayers,
    feedForwardLength: cfg.ffnDim, headCount: cfg.nHeads, headCountKv: cfg.nKvHeads, rmsEps: cfg.normEps, ropeFreqBase: cfg.ropeBase,
  };
}

/** Loads a GGUF base into the trainer's flat layout; refuses what it cannot train, saying why. */
export async function loadBaseGguf(path: string): Promise<{ cfg: ModelConfig; params: Float32Array; name: string }> {
  let file;
  try {
    file = await readLlamaGguf(path);
  } catch (e) {
    throw new Error(`cannot train ${path}: ${(e as Error).message}`, { cause: e });
  }
  const tokens = ggufValue(file.file, "tokenizer.ggml.tokens");
  const ours = kindlingVocab().tokens;
  if (!Array.isArray(tokens) || tokens.length !== ours.length || tokens.some((t, i) => t !== ours[i])) {
    throw new Error(`cannot train ${path}: its vocabulary is not Kindling's byte vocabulary (the trainer tokenizes with lib/gguf/kindling-vocab)`);
  }
  const hp = file.hparams;
  const cfg: ModelConfig = {
    dim: hp.embeddingLength, nLayers: hp.blockCount, nHeads: hp.headCount, nKvHeads: hp.headCountKv, ffnDim: hp.feedForwardLength,
    vocabSize: hp.vocabSize, contextLength: hp.contextLength, ropeBase: hp.ropeFreqBase, normEps: hp.rmsEps,
  };
  const layout = baseLayout(cfg);
  const params = new Float32Array(layout.total);
  for (const t of layout.tensors) {
    // A missing output.weight means tied embeddings: start the (untied) output from the embedding.
    const w = file.weights.get(t.name) ?? (t.name === "output.weight" ? file.weights.get("token_embd.weight") : undefined);
    if (!w || w.length !== t.size) throw new Error(`cannot train ${path}: tensor ${t.name} is missing or mis-sized`);
    params.set(w, t.offset);
  }
  return { cfg, params, name: hp.name };
}

export async function exportModelGguf(path: string, cfg: ModelConfig, params: Float32Array, opts: { name: string; fileType?: "F32" | "F16" }): Promise<void> {
  const weights = new Map<string, Float32Array>();
  for (const t of baseLayout(cfg).tensors) weights.set(t.name, params.slice(t.offset, t.offset + t.size));
  await writeLlamaGguf(path, toHParams(cfg, opts.name), weights, { fileType: opts.fileType ?? "F32" });
}

export async function exportLoraGguf(
  path: string, cfg: ModelConfig, lora: LoraConfig, loraParams: Float32Array, opts: { name: string; fileType?: "F32" | "F16" },
): Promise<void> {
  const tensors = new Map<string, LoraTensorPair>();
  for (const t of loraLayout(cfg, lora).tensors) {
    const base = t.name.replace(/\.lora_[ab]$/, "");
    const pair = tensors.get(base) ?? { a: new Float32Array(0), b: new Float32Array(0), rank: lora.rank };
    const data = loraParams.slice(t.offset, t.offset + t.size);
    if (t.name.endsWith(".lora_a")) pair.a = data;
    else pair.b = data;
    tensors.set(base, pair);
  }
  await writeLoraAdapterGguf(path, { alpha: lora.alpha, tensors, fileType: opts.fileType ?? "F32", name: opts.name });
}
