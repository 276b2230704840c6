// Float64 finite-difference gradient check over every parameter (full and LoRA), and the WASM kernel against plain JS.
import { describe, expect, it } from "vitest";
import { countingBackend, jsBackend, jsMatmulNN, jsMatmulNT, jsMatmulTN, wasmBackend } from "./backend";
import { ensureKernelBuilt } from "./kernel/build";
import { Model, baseLayout, loraLayout, rng, type ModelConfig, type Row } from "./model";

const cfg: ModelConfig = {
  dim: 8, nLayers: 2, nHeads: 2, nKvHeads: 1, ffnDim: 12, vocabSize: 265, contextLength: 16, ropeBase: 10000, normEps: 1e-5,
};

// Two packed examples (positions restart, attention stays inside each), loss only where targets >= 0.
function testRow(): Row {
  const tokens = Int32Array.from([1, 70, 71, 72, 262, 80, 81, 2, 5, 90, 262, 91, 92]);
  const targets = Int32Array.from([-1, -1, -1, 262, 80, 81, 2, -1, -1, 262, 91, 92, 4]);
  const pos = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4]);
  const segStart = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8]);
  return { tokens, targets, pos, segStart };
}

function randomize(a: Float64Array | Float32Array, seed: number, isNorm: (i: number) => boolean, std: number) {
  const r = rng(seed);
  for (let i = 0; i < a.length; i++) a[i] = isNorm(i) ? 1 + 0.3 * r.normal() : std * r.normal();
}

function gradCheck(m: Model, trainable: Float64Array): number {
  const row = testRow();
  m.zeroGrad();
  m.forward(row);
  m.backward(1);
  const analytic = Float64Array.from(m.grad);
  const eps = 1e-5;
  let worst = 0;
  for (let i = 0; i < trainable.length; i++) {
    const old = trainable[i];
    trainable[i] = old + eps;
    const lp = m.forward(row).loss;
    trainable[i] = old - eps;
    const lm = m.forward(row).loss;
    trainable[i] = old;
    const num = (lp - lm) / (2 * eps);
    const err = Math.abs(num - analytic[i]) / Math.max(Math.abs(num), Math.abs(analytic[i]), 1e-4);
    worst = Math.max(worst, err);
  }
  return worst;
}

describe("model gradients (float64 finite differences)", () => {
  it("match analytic gradients for every base parameter in full fine-tuning", () => {
    const m = new Model(cfg, jsBackend("f64"), 16);
    const norms = new Set<number>();
    for (const t of baseLayout(cfg).tensors) if (t.shape.length === 1) for (let i = 0; i < t.size; i++) norms.add(t.offset + i);
    randomize(m.params, 1, (i) => norms.has(i), 0.4);
    expect(m.grad.length).toBe(m.params.length);
    expect(gradCheck(m, m.params as Float64Array)).toBeLessThan(1e-5);
  });

  it("match analytic gradients for every LoRA parameter", () => {
    const lora = { rank: 2, alpha: 4, targets: ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"] as const };
    const m = new Model(cfg, jsBackend("f64"), 16, { ...lora, targets: [...lora.targets] });
    const norms = new Set<number>();
    for (const t of baseLayout(cfg).tensors) if (t.shape.length === 1) for (let i = 0; i < t.size; i++) norms.add(t.offset + i);
    randomize(m.params, 2, (i) => norms.has(i), 0.4);
    randomize(m.lora!, 3, () => false, 0.3); // B nonzero so A receives gradient too
    expect(m.grad.length).toBe(loraLayout(cfg, { ...lora, targets: [...lora.targets] }).total);
    expect(gradCheck(m, m.lora as Float64Array)).toBeLessThan(1e-5);
  });
});

describe("WASM SIMD kernel", () => {
  it("matches plain JS on every variant, odd shapes, with and without accumulation", async () => {
    const wasm = wasmBackend(await ensureKernelBuilt(), 200_000);
    const r = rng(7);
    for (const [M, K, N] of [[1, 1, 1], [3, 5, 7], [16, 32, 8], [13, 64, 33], [40, 24, 265]]) {
      for (const acc of [false, true]) {
        for (const [name, js] of [["matmulNT", jsMatmulNT], ["matmulNN", jsMatmulNN], ["matmulTN", jsMatmulTN]] as const) {
          const a = wasm.alloc(M * K) as Float32Array, b = wasm.alloc(K * N) as Float32Array;
          const c1 = wasm.alloc(M * N) as Float32Array;
          for (const x of [a, b, c1]) for (let i = 0; i < x.length; i++) x[i] = r.normal();
          const c2 = Float64Array.from(c1);
          wasm[name](a, b, c1, M, K, N, acc);
          js(Float64Array.from(a), Float64Array.from(b), c2, M, K, N, acc);
          for (let i = 0; i < c2.length; i++) expect(Math.abs(c1[i] - c2[i])).toBeLessThan(1e-4 * (1 + Math.abs(c2[i])));
          // arrays outside the kernel's memory are copied in and out
          const c3 = Float32Array.from(c1);
          wasm[name](Float32Array.from(a), Float32Array.from(b), c3, M, K, N, false);
          js(Float64Array.from(a), Float64Array.from(b), c2, M, K, N, false);
          for (let i = 0; i < c2.length; i++) expect(Math.abs(c3[i] - c2[i])).toBeLessThan(1e-4 * (1 + Math.abs(c2[i])));
        }
      }
    }
  });

  it("gives the same loss and gradients as the float64 model", async () => {
    const counter = countingBackend();
    new Model(cfg, counter, 16);
    const wm = new Model(cfg, wasmBackend(await ensureKernelBuilt(), counter.floats), 16);
    const jm = new Model(cfg, jsBackend("f64"), 16);
    randomize(jm.params, 4, () => false, 0.2);
    wm.params.set(jm.params);
    const row = testRow();
    for (const m of [wm, jm]) { m.zeroGrad(); m.backward((m.forward(row), 1)); }
    expect(wm.forward(row).loss).toBeCloseTo(jm.forward(row).loss, 4);
    let maxDiff = 0, maxAbs = 0;
    for (let i = 0; i < jm.grad.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(wm.grad[i] - jm.grad[i]));
      maxAbs = Math.max(maxAbs, Math.abs(jm.grad[i]));
    }
    expect(maxDiff / maxAbs).toBeLessThan(1e-4);
  });
});
