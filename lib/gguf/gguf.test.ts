// Round trip of the GGUF writer/reader, and proof of the tensor layout against llama.cpp itself.

import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, readGgufFileInfo, type Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llamaForward, llamaGreedy } from "./forward";
import { bf16ToF32Array, f16ToF32Array, f32ToF16Array } from "./half";
import { END_ID, KINDLING_CHAT_TEMPLATE, VOCAB_SIZE, encodeText, decodeTokens } from "./kindling-vocab";
import { readLlamaGguf, writeLlamaGguf, writeLoraAdapterGguf } from "./llama";
import { ggufValue, readGguf, readTensorData } from "./reader";
import { createTestModel, isTestModelToken, writeTestModel } from "./test-model";
import { writeGguf } from "./writer";

let dir: string;
let llama: Llama;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kindling-gguf-"));
  llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as never });
});
afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("writeGguf / readGguf", () => {
  it("round-trips typed metadata and tensors, readable by node-llama-cpp", async () => {
    const path = join(dir, "raw.gguf");
    const a = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
    const b = Float32Array.from({ length: 5 }, (_, i) => i / 3);
    await writeGguf(path, {
      metadata: {
        "general.architecture": { type: "string", value: "llama" },
        "t.u32": { type: "u32", value: 7 },
        "t.i32": { type: "i32", value: -7 },
        "t.f32": { type: "f32", value: 0.5 },
        "t.bool": { type: "bool", value: true },
        "t.u64": { type: "u64", value: 2n ** 60n },
        "t.f64": { type: "f64", value: Math.PI },
        "t.arr": { type: "array", itemType: "string", value: ["x", "ÿ", ""] },
      },
      tensors: [
        { name: "a", ne: [3, 2], type: "F32", data: a },
        { name: "b", ne: [5], type: "F16", data: b },
      ],
    });
    const file = await readGguf(path);
    expect(file.version).toBe(3);
    expect(file.metadata["t.u32"]).toEqual({ type: "u32", value: 7 });
    expect(file.metadata["t.i32"]).toEqual({ type: "i32", value: -7 });
    expect(file.metadata["t.bool"]).toEqual({ type: "bool", value: true });
    expect(file.metadata["t.u64"]).toEqual({ type: "u64", value: 2n ** 60n });
    expect(ggufValue(file, "t.f64")).toBe(Math.PI);
    expect(ggufValue(file, "t.arr")).toEqual(["x", "ÿ", ""]);
    expect(file.tensors.map((t) => [t.name, t.ne, t.typeName])).toEqual([["a", [3, 2], "F32"], ["b", [5], "F16"]]);
    expect(file.tensors.every((t) => t.fileOffset % 32 === 0)).toBe(true);
    expect(await readTensorData(file, "a")).toEqual(a);
    const bBack = await readTensorData(file, "b");
    for (let i = 0; i < b.length; i++) expect(bBack[i]).toBeCloseTo(b[i], 3);

    const info = await readGgufFileInfo(path);
    expect(info.version).toBe(3);
    expect(info.fullTensorInfo?.map((t) => t.name)).toEqual(["a", "b"]);
    expect(info.fullTensorInfo?.[0].dimensions.map(Number)).toEqual([3, 2]);
  });

  it("refuses bad input without leaving a file behind", async () => {
    const path = join(dir, "bad.gguf");
    await expect(
      writeGguf(path, { metadata: {}, tensors: [{ name: "x", ne: [4], type: "F32", data: new Float32Array(3) }] }),
    ).rejects.toThrow(/holds 4 values but data has 3/);
    await expect(
      writeGguf(path, { metadata: { k: { type: "u32", value: -1 } }, tensors: [] }),
    ).rejects.toThrow(/not a valid u32/);
    expect((await readdir(dir)).filter((f) => f.includes("bad"))).toEqual([]);
  });

  it("names the tensor and type of a quantized file", async () => {
    const path = join(dir, "q.gguf");
    await writeGguf(path, { metadata: {}, tensors: [{ name: "w", ne: [32], type: "F32", data: new Float32Array(32) }] });
    const file = await readGguf(path);
    file.tensors[0] = { ...file.tensors[0], typeCode: 12, typeName: "Q4_K" };
    await expect(readTensorData(file, "w")).rejects.toThrow(/tensor "w" is Q4_K: cannot train a quantized model/);
  });

  it("rejects files that are not GGUF", async () => {
    const path = join(dir, "junk.gguf");
    await writeFile(path, "not a model at all");
    await expect(readGguf(path)).rejects.toThrow(/not a GGUF file/);
  });

  it("converts BF16 (the upper half of a float32)", () => {
    expect(Array.from(bf16ToF32Array(Uint16Array.from([0x3f80, 0xc000, 0x0000, 0x4049])))).toEqual([1, -2, 0, 3.140625]);
  });

  it("converts F16 with round-to-nearest-even", () => {
    const src = Float32Array.from([0, -0, 1, -2, 65504, 1e-7, 3.14159, 70000, 5.960464477539063e-8]);
    const back = f16ToF32Array(f32ToF16Array(src));
    expect(Array.from(back)).toEqual([0, -0, 1, -2, 65504, 1.1920928955078125e-7, 3.140625, Infinity, 5.960464477539063e-8]);
  });
});

describe("Llama models", () => {
  it("writes a test model in well under a second, with the keys llama.cpp needs", async () => {
    const path = join(dir, "tiny.gguf");
    const started = performance.now();
    await writeTestModel(path, { seed: 3 });
    expect(performance.now() - started).toBeLessThan(1000);
    const info = await readGgufFileInfo(path);
    const md = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(md.general.architecture).toBe("llama");
    expect(md.tokenizer.chat_template).toBe(KINDLING_CHAT_TEMPLATE);
    expect((md.tokenizer.ggml as Record<string, unknown>).eos_token_id).toBe(END_ID);
    const back = await readLlamaGguf(path);
    expect(back.hparams).toMatchObject({ vocabSize: VOCAB_SIZE, embeddingLength: 64, blockCount: 2, headCount: 4, headCountKv: 2 });
    expect(back.weights.get("blk.1.ffn_down.weight")?.length).toBe(128 * 64);
  });

  it("matches llama.cpp's greedy tokens with a plain JS forward pass (proves the layout)", async () => {
    const path = join(dir, "parity.gguf");
    const { hparams, weights } = await writeTestModel(path, { seed: 11, embeddingLength: 64, headCount: 8, headCountKv: 2 });
    const prompt = encodeText("Hello, parity!");
    const expected = llamaGreedy(hparams, weights, prompt, 12);
    expect(expected.every((t) => isTestModelToken(t))).toBe(true);

    const model = await llama.loadModel({ modelPath: path });
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    try {
      const sequence = context.getSequence();
      const got: number[] = [];
      for await (const token of sequence.evaluate(prompt as never, { temperature: 0 })) {
        got.push(token);
        if (got.length === expected.length) break;
      }
      expect(got).toEqual(expected);
      expect(model.tokenize("Hello, parity!")).toEqual(prompt);
      expect(model.detokenize(got as never)).toBe(decodeTokens(got));
      // Greedy agreement only proves the layout if the choices are not ties: require clear margins.
      const logits = llamaForward(hparams, weights, [...prompt, ...got.slice(0, -1)]);
      const row = Array.from(logits.subarray((prompt.length - 1) * VOCAB_SIZE, prompt.length * VOCAB_SIZE)).sort((x, y) => y - x);
      expect(row[0] - row[1]).toBeGreaterThan(1e-3);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });

  it("writes a LoRA adapter that llama.cpp applies (scale 0 = base, scale 1 changes the output)", async () => {
    const base = join(dir, "lora-base.gguf");
    const adapterPath = join(dir, "lora.gguf");
    const { hparams, weights } = await writeTestModel(base, { seed: 5 });
    const rank = 4;
    const d = hparams.embeddingLength;
    const a = Float32Array.from({ length: rank * d }, (_, i) => Math.sin(i) * 0.5);
    const b = Float32Array.from({ length: d * rank }, (_, i) => Math.cos(i) * 0.5);
    await writeLoraAdapterGguf(adapterPath, { alpha: 8, tensors: new Map([["blk.0.attn_q.weight", { a, b, rank }], ["blk.1.ffn_up.weight", { a: Float32Array.from({ length: rank * d }, (_, i) => Math.cos(i * 3)), b: Float32Array.from({ length: hparams.feedForwardLength * rank }, (_, i) => Math.sin(i * 7)), rank }]]) });
    const prompt = encodeText("LoRA test");

    // Merge the adapter into the weights by hand: W' = W + (alpha / r) * B A.
    const merged = new Map(weights);
    const mergeInto = (name: string, A: Float32Array, B: Float32Array, nOut: number, nIn: number) => {
      const w = Float32Array.from(merged.get(name)!);
      for (let o = 0; o < nOut; o++)
        for (let i = 0; i < nIn; i++) {
          let s = 0;
          for (let r = 0; r < rank; r++) s += B[o * rank + r] * A[r * nIn + i];
          w[o * nIn + i] += (8 / rank) * s;
        }
      merged.set(name, w);
    };
    mergeInto("blk.0.attn_q.weight", a, b, d, d);
    const upA = Float32Array.from({ length: rank * d }, (_, i) => Math.cos(i * 3));
    const upB = Float32Array.from({ length: hparams.feedForwardLength * rank }, (_, i) => Math.sin(i * 7));
    mergeInto("blk.1.ffn_up.weight", upA, upB, hparams.feedForwardLength, d);

    const model = await llama.loadModel({ modelPath: base });
    const run = async (scale: number) => {
      const context = await model.createContext({ contextSize: 128, threads: 1, lora: { adapters: [{ filePath: adapterPath, scale }] } });
      try {
        const got: number[] = [];
        for await (const token of context.getSequence().evaluate(prompt as never, { temperature: 0 })) {
          got.push(token);
          if (got.length === 10) break;
        }
        return got;
      } finally {
        await context.dispose();
      }
    };
    try {
      expect(await run(0)).toEqual(llamaGreedy(hparams, weights, prompt, 10));
      expect(await run(1)).toEqual(llamaGreedy(hparams, merged, prompt, 10));
    } finally {
      await model.dispose();
    }
  });

  it("refuses a non-llama architecture and an adapter when reading a model", async () => {
    const path = join(dir, "other.gguf");
    await writeGguf(path, { metadata: { "general.architecture": { type: "string", value: "qwen2" } }, tensors: [] });
    await expect(readLlamaGguf(path)).rejects.toThrow(/architecture "qwen2" is not supported/);
    const { hparams } = createTestModel();
    await expect(writeLlamaGguf(join(dir, "x.gguf"), { ...hparams, vocabSize: 300 }, new Map())).rejects.toThrow(/vocabulary has 265 tokens/);
  });
});
