// Llama-architecture GGUF models and LoRA adapters: hyper-parameters, tensor shapes, write and read.

import { basename } from "node:path";
import { END_ID, BOS_ID, UNK_ID, KINDLING_CHAT_TEMPLATE, kindlingVocab, type Vocab } from "./kindling-vocab";
import { ggufValue, readGguf, readTensorData, type GgufFile } from "./reader";
import type { GgufMetadata, GgufTensorInput, GgufValue, GgufWritableTensorType } from "./types";
import { writeGguf } from "./writer";

export interface LlamaHParams {
  name: string;
  vocabSize: number;
  contextLength: number;
  embeddingLength: number;
  blockCount: number;
  feedForwardLength: number;
  headCount: number;
  headCountKv: number;
  rmsEps: number;
  ropeFreqBase: number;
}

/** Per-block weight suffixes, in the order they are written. */
export const LLAMA_BLOCK_WEIGHTS = [
  "attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down",
] as const;

export function headDim(hp: LlamaHParams): number {
  return hp.embeddingLength / hp.headCount;
}

function checkHParams(hp: LlamaHParams): void {
  const ints: (keyof LlamaHParams)[] = [
    "vocabSize", "contextLength", "embeddingLength", "blockCount", "feedForwardLength", "headCount", "headCountKv",
  ];
  for (const k of ints) {
    const v = hp[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`LlamaHParams.${k} must be a positive integer, got ${String(v)}`);
  }
  if (hp.embeddingLength % hp.headCount) throw new Error("LlamaHParams.embeddingLength must be a multiple of headCount");
  if (headDim(hp) % 2) throw new Error("LlamaHParams head dimension (embeddingLength / headCount) must be even for RoPE");
  if (hp.headCount % hp.headCountKv) throw new Error("LlamaHParams.headCount must be a multiple of headCountKv");
  if (!(hp.rmsEps > 0) || !(hp.ropeFreqBase > 0)) throw new Error("LlamaHParams.rmsEps and ropeFreqBase must be positive");
}

/**
 * The ggml `ne` of every tensor of a Llama model, keyed by GGUF name (output.weight included; it may
 * be omitted from a file, meaning tied to token_embd). Linear(in -> out) is ne = [in, out].
 */
export function llamaTensorShapes(hp: LlamaHParams): Map<string, number[]> {
  const d = hp.embeddingLength;
  const hd = headDim(hp);
  const shapes = new Map<string, number[]>();
  shapes.set("token_embd.weight", [d, hp.vocabSize]);
  for (let i = 0; i < hp.blockCount; i++) {
    const p = `blk.${i}.`;
    shapes.set(`${p}attn_norm.weight`, [d]);
    shapes.set(`${p}attn_q.weight`, [d, hp.headCount * hd]);
    shapes.set(`${p}attn_k.weight`, [d, hp.headCountKv * hd]);
    shapes.set(`${p}attn_v.weight`, [d, hp.headCountKv * hd]);
    shapes.set(`${p}attn_output.weight`, [hp.headCount * hd, d]);
    shapes.set(`${p}ffn_norm.weight`, [d]);
    shapes.set(`${p}ffn_gate.weight`, [d, hp.feedForwardLength]);
    shapes.set(`${p}ffn_up.weight`, [d, hp.feedForwardLength]);
    shapes.set(`${p}ffn_down.weight`, [hp.feedForwardLength, d]);
  }
  shapes.set("output_norm.weight", [d]);
  shapes.set("output.weight", [d, hp.vocabSize]);
  return shapes;
}

export interface WriteLlamaOptions {
  /** Type of the matrices; norm vectors are always F32. Default F32. */
  fileType?: "F32" | "F16";
  /** Jinja chat template; default KINDLING_CHAT_TEMPLATE. */
  chatTemplate?: string;
  /** Token list; default the Kindling byte vocabulary (its length must equal hparams.vocabSize). */
  vocab?: Vocab;
  /** Whether llama.cpp puts `<s>` before every input. Default false (Kindling models are trained without it). */
  addBos?: boolean;
}

/**
 * Writes a Llama GGUF with the Kindling vocabulary. Token conventions (the trainer must match them):
 * no BOS and no space prefix are added when tokenizing (text tokenizes exactly as encodeText does),
 * BOS is `<s>` (id 1) but unused, and EOS is `<|end|>` (END_ID), which ends every turn and every
 * generation. `weights` is keyed by GGUF tensor name; output.weight is optional (tied embeddings).
 */
export async function writeLlamaGguf(
  path: string,
  hparams: LlamaHParams,
  weights: Map<string, Float32Array>,
  opts: WriteLlamaOptions = {},
): Promise<void> {
  checkHParams(hparams);
  const fileType = opts.fileType ?? "F32";
  const vocab = opts.vocab ?? kindlingVocab();
  if (vocab.tokens.length !== hparams.vocabSize) {
    throw new Error(`vocabulary has ${vocab.tokens.length} tokens but hparams.vocabSize is ${hparams.vocabSize}`);
  }
  const shapes = llamaTensorShapes(hparams);
  for (const name of weights.keys()) if (!shapes.has(name)) throw new Error(`unknown Llama tensor "${name}"`);
  const tensors: GgufTensorInput[] = [];
  for (const [name, ne] of shapes) {
    const data = weights.get(name);
    if (!data) {
      if (name === "output.weight") continue;
      throw new Error(`missing Llama tensor "${name}"`);
    }
    const type: GgufWritableTensorType = ne.length === 1 ? "F32" : fileType;
    tensors.push({ name, ne, type, data });
  }
  const u32 = (value: number): GgufValue => ({ type: "u32", value });
  const metadata: GgufMetadata = {
    "general.architecture": { type: "string", value: "llama" },
    "general.type": { type: "string", value: "model" },
    "general.name": { type: "string", value: hparams.name },
    "general.file_type": u32(fileType === "F16" ? 1 : 0),
    "llama.vocab_size": u32(hparams.vocabSize),
    "llama.context_length": u32(hparams.contextLength),
    "llama.embedding_length": u32(hparams.embeddingLength),
    "llama.block_count": u32(hparams.blockCount),
    "llama.feed_forward_length": u32(hparams.feedForwardLength),
    "llama.attention.head_count": u32(hparams.headCount),
    "llama.attention.head_count_kv": u32(hparams.headCountKv),
    "llama.attention.layer_norm_rms_epsilon": { type: "f32", value: hparams.rmsEps },
    "llama.rope.dimension_count": u32(headDim(hparams)),
    "llama.rope.freq_base": { type: "f32", value: hparams.ropeFreqBase },
    "tokenizer.ggml.model": { type: "string", value: "llama" },
    "tokenizer.ggml.tokens": { type: "array", itemType: "string", value: vocab.tokens },
    "tokenizer.ggml.scores": { type: "array", itemType: "f32", value: vocab.scores },
    "tokenizer.ggml.token_type": { type: "array", itemType: "i32", value: vocab.tokenTypes },
    "tokenizer.ggml.bos_token_id": u32(BOS_ID),
    "tokenizer.ggml.eos_token_id": u32(END_ID),
    "tokenizer.ggml.eot_token_id": u32(END_ID),
    "tokenizer.ggml.unknown_token_id": u32(UNK_ID),
    "tokenizer.ggml.add_bos_token": { type: "bool", value: opts.addBos ?? false },
    "tokenizer.ggml.add_eos_token": { type: "bool", value: false },
    "tokenizer.ggml.add_space_prefix": { type: "bool", value: false },
    "tokenizer.chat_template": { type: "string", value: opts.chatTemplate ?? KINDLING_CHAT_TEMPLATE },
  };
  await writeGguf(path, { metadata, tensors });
}

const LORA_TARGET = /^(blk\.\d+\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)|output)\.weight$/;

export interface LoraTensorPair {
  /** PEFT lora_A, row-major [rank][n_in]. */
  a: Float32Array;
  /** PEFT lora_B, row-major [n_out][rank]. */
  b: Float32Array;
  rank: number;
}

/**
 * Writes a LoRA adapter GGUF for a Llama base: delta(W x) = scale * (alpha / rank) * B (A x).
 * `tensors` is keyed by the adapted base weight's name (e.g. "blk.0.attn_q.weight").
 */
export async function writeLoraAdapterGguf(
  path: string,
  adapter: { alpha: number; tensors: Map<string, LoraTensorPair>; fileType?: "F32" | "F16"; name?: string },
): Promise<void> {
  if (!(adapter.tensors.size > 0)) throw new Error("a LoRA adapter needs at least one tensor pair");
  const type = adapter.fileType ?? "F32";
  const tensors: GgufTensorInput[] = [];
  for (const [name, { a, b, rank }] of adapter.tensors) {
    if (!LORA_TARGET.test(name)) throw new Error(`"${name}" is not a LoRA-adaptable Llama weight`);
    if (!Number.isInteger(rank) || rank < 1 || a.length % rank || b.length % rank) {
      throw new Error(`LoRA "${name}": rank ${rank} does not divide lora_a (${a.length}) and lora_b (${b.length})`);
    }
    tensors.push({ name: `${name}.lora_a`, ne: [a.length / rank, rank], type, data: a });
    tensors.push({ name: `${name}.lora_b`, ne: [rank, b.length / rank], type, data: b });
  }
  await writeGguf(path, {
    metadata: {
      "general.architecture": { type: "string", value: "llama" },
      "general.type": { type: "string", value: "adapter" },
      "general.name": { type: "string", value: adapter.name ?? basename(path, ".gguf") },
      "adapter.type": { type: "string", value: "lora" },
      "adapter.lora.alpha": { type: "f32", value: adapter.alpha },
    },
    tensors,
  });
}

export interface LlamaModelFile {
  hparams: LlamaHParams;
  /** Keyed by GGUF tensor name; output.weight absent when the file ties it to token_embd. */
  weights: Map<string, Float32Array>;
  fileType: "F32" | "F16" | "BF16" | "mixed";
  chatTemplate?: string;
  file: GgufFile;
}

function requireInt(file: GgufFile, key: string): number {
  const v = ggufValue(file, key);
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`${file.path}: missing or invalid "${key}"`);
  return v;
}

/** Reads a Llama GGUF (hparams + float weights) for fine-tuning; refuses other architectures and quantized files. */
export async function readLlamaGguf(path: string): Promise<LlamaModelFile> {
  const file = await readGguf(path);
  const arch = ggufValue(file, "general.architecture");
  if (arch !== "llama") throw new Error(`${path}: architecture "${String(arch)}" is not supported; only "llama" models can be read`);
  if (ggufValue(file, "general.type") === "adapter") throw new Error(`${path} is a LoRA adapter, not a model`);
  const quantized = file.tensors.find((t) => !["F32", "F16", "BF16"].includes(t.typeName));
  if (quantized) {
    throw new Error(`tensor "${quantized.name}" is ${quantized.typeName}: cannot train a quantized model; use an F32, F16 or BF16 GGUF file`);
  }
  const headCount = requireInt(file, "llama.attention.head_count");
  const tokens = ggufValue(file, "tokenizer.ggml.tokens");
  const vocabFromKey = ggufValue(file, "llama.vocab_size");
  const rmsEps = ggufValue(file, "llama.attention.layer_norm_rms_epsilon");
  const ropeBase = ggufValue(file, "llama.rope.freq_base");
  const name = ggufValue(file, "general.name");
  const hparams: LlamaHParams = {
    name: typeof name === "string" ? name : basename(path, ".gguf"),
    vocabSize: typeof vocabFromKey === "number" ? vocabFromKey : Array.isArray(tokens) ? tokens.length : 0,
    contextLength: requireInt(file, "llama.context_length"),
    embeddingLength: requireInt(file, "llama.embedding_length"),
    blockCount: requireInt(file, "llama.block_count"),
    feedForwardLength: requireInt(file, "llama.feed_forward_length"),
    headCount,
    headCountKv: file.metadata["llama.attention.head_count_kv"] ? requireInt(file, "llama.attention.head_count_kv") : headCount,
    rmsEps: typeof rmsEps === "number" ? rmsEps : 1e-5,
    ropeFreqBase: typeof ropeBase === "number" ? ropeBase : 10000,
  };
  checkHParams(hparams);
  const shapes = llamaTensorShapes(hparams);
  const weights = new Map<string, Float32Array>();
  for (const info of file.tensors) {
    const ne = shapes.get(info.name);
    if (!ne) throw new Error(`${path}: unexpected tensor "${info.name}" for a Llama model`);
    if (ne.join(",") !== info.ne.join(",")) {
      throw new Error(`${path}: tensor "${info.name}" has ne [${info.ne.join(", ")}], expected [${ne.join(", ")}]`);
    }
    weights.set(info.name, await readTensorData(file, info));
  }
  for (const name of shapes.keys()) {
    if (!weights.has(name) && name !== "output.weight") throw new Error(`${path}: missing tensor "${name}"`);
  }
  const matrixTypes = new Set(file.tensors.filter((t) => t.ne.length > 1).map((t) => t.typeName));
  const template = ggufValue(file, "tokenizer.chat_template");
  return {
    hparams,
    weights,
    fileType: matrixTypes.size === 1 ? ([...matrixTypes][0] as "F32" | "F16" | "BF16") : "mixed",
    chatTemplate: typeof template === "string" ? template : undefined,
    file,
  };
}
