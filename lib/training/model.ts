// A Llama-architecture model with hand-written forward and backward passes over flat typed arrays,
// computing exactly what llama.cpp computes (lib/gguf/FORMAT.md): RMSNorm, NORM-mode RoPE, GQA, SwiGLU.
import type { Arr, Backend } from "./backend";

export interface ModelConfig {
  dim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  ffnDim: number;
  vocabSize: number;
  contextLength: number;
  ropeBase: number;
  normEps: number;
}

export const LORA_TARGETS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

export interface LoraConfig {
  rank: number;
  alpha: number;
  targets: LoraTarget[];
}

export interface TensorInfo {
  /** GGUF tensor name, e.g. `blk.0.attn_q.weight`. */
  name: string;
  /** Row-major shape; a linear layer is [out, in] (GGUF ne is the reverse). */
  shape: number[];
  offset: number;
  size: number;
  /** Matrices get weight decay; norm gains do not. */
  decay: boolean;
}

/** One packed row: examples back to back, each attending only to itself, positions restarting at 0. */
export interface Row {
  tokens: Int32Array;
  /** Next-token target per position, or -1 where no loss is taken. */
  targets: Int32Array;
  pos: Int32Array;
  /** Index of the first token of the example each position belongs to. */
  segStart: Int32Array;
}

export function headDim(c: ModelConfig): number {
  return c.dim / c.nHeads;
}

export function countParams(c: ModelConfig): number {
  return baseLayout(c).total;
}

export function baseLayout(c: ModelConfig): { tensors: TensorInfo[]; total: number } {
  const hd = headDim(c);
  const tensors: TensorInfo[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], decay: boolean) => {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, shape, offset, size, decay });
    offset += size;
  };
  add("token_embd.weight", [c.vocabSize, c.dim], true);
  for (let l = 0; l < c.nLayers; l++) {
    add(`blk.${l}.attn_norm.weight`, [c.dim], false);
    add(`blk.${l}.attn_q.weight`, [c.nHeads * hd, c.dim], true);
    add(`blk.${l}.attn_k.weight`, [c.nKvHeads * hd, c.dim], true);
    add(`blk.${l}.attn_v.weight`, [c.nKvHeads * hd, c.dim], true);
    add(`blk.${l}.attn_output.weight`, [c.dim, c.nHeads * hd], true);
    add(`blk.${l}.ffn_norm.weight`, [c.dim], false);
    add(`blk.${l}.ffn_gate.weight`, [c.ffnDim, c.dim], true);
    add(`blk.${l}.ffn_up.weight`, [c.ffnDim, c.dim], true);
    add(`blk.${l}.ffn_down.weight`, [c.dim, c.ffnDim], true);
  }
  add("output_norm.weight", [c.dim], false);
  add("output.weight", [c.vocabSize, c.dim], true);
  return { tensors, total: offset };
}

/** LoRA tensors `<W>.lora_a` [r, in] and `<W>.lora_b` [out, r], named as llama.cpp's adapter loader expects. */
export function loraLayout(c: ModelConfig, lora: LoraConfig): { tensors: TensorInfo[]; total: number } {
  const base = new Map(baseLayout(c).tensors.map((t) => [t.name, t]));
  const tensors: TensorInfo[] = [];
  let offset = 0;
  for (let l = 0; l < c.nLayers; l++) {
    for (const target of LORA_TARGETS) {
      if (!lora.targets.includes(target)) continue;
      const w = base.get(`blk.${l}.${target}.weight`)!;
      const [out, inp] = w.shape;
      for (const [suffix, shape] of [["lora_a", [lora.rank, inp]], ["lora_b", [out, lora.rank]]] as const) {
        const size = shape[0] * shape[1];
        tensors.push({ name: `${w.name}.${suffix}`, shape: [...shape], offset, size, decay: false });
        offset += size;
      }
    }
  }
  return { tensors, total: offset };
}

/** Seeded PRNG (mulberry32) with a Box-Muller normal, so initialisation and shuffles are reproducible. */
export function rng(seed: number): { next(): number; normal(): number } {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()) };
}

/** Random init: matrices N(0, 0.02), residual outputs scaled down with depth, norm gains 1. */
export function initParams(c: ModelConfig, out: Arr, seed: number): void {
  const r = rng(seed);
  for (const t of baseLayout(c).tensors) {
    const v = out.subarray(t.offset, t.offset + t.size);
    if (t.shape.length === 1) v.fill(1);
    else {
      const std = /attn_output|ffn_down/.test(t.name) ? 0.02 / Math.sqrt(2 * c.nLayers) : 0.02;
      for (let i = 0; i < v.length; i++) v[i] = r.normal() * std;
    }
  }
}

/** LoRA init as PEFT does it: A random (Kaiming-uniform-like), B zero, so training starts at the base model. */
export function initLora(c: ModelConfig, lora: LoraConfig, out: Arr, seed: number): void {
  const r = rng(seed);
  for (const t of loraLayout(c, lora).tensors) {
    const v = out.subarray(t.offset, t.offset + t.size);
    if (t.name.endsWith("lora_b")) v.fill(0);
    else {
      const bound = 1 / Math.sqrt(t.shape[1]);
      for (let i = 0; i < v.length; i++) v[i] = (r.next() * 2 - 1) * bound;
    }
  }
}

/** [T][heads·hd] row layout to head-major [heads][T][hd], so each head's block is contiguous for the kernel. */
function toHeads(src: Arr, dst: Arr, heads: number, T: number, hd: number): void {
  for (let t = 0; t < T; t++) for (let h = 0; h < heads; h++) dst.set(src.subarray((t * heads + h) * hd, (t * heads + h + 1) * hd), (h * T + t) * hd);
}

function fromHeads(src: Arr, dst: Arr, heads: number, T: number, hd: number): void {
  for (let h = 0; h < heads; h++) for (let t = 0; t < T; t++) dst.set(src.subarray((h * T + t) * hd, (h * T + t + 1) * hd), (t * heads + h) * hd);
}

/** Causal softmax over each row of an n×n score block, in place; entries above the diagonal become 0. */
function causalSoftmax(P: Arr, n: number, scale: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let mx = -Infinity;
    for (let j = 0; j <= i; j++) if (P[o + j] * scale > mx) mx = P[o + j] * scale;
    let sum = 0;
    for (let j = 0; j <= i; j++) sum += (P[o + j] = Math.exp(P[o + j] * scale - mx));
    for (let j = 0; j <= i; j++) P[o + j] /= sum;
    for (let j = i + 1; j < n; j++) P[o + j] = 0;
  }
}

/** The examples of a packed row as [start, length, offset of its score block within a head's T×T area]. */
function segments(row: Row): [number, number, number][] {
  const out: [number, number, number][] = [];
  const T = row.tokens.length;
  let po = 0;
  for (let s0 = 0; s0 < T; ) {
    let e = s0 + 1;
    while (e < T && row.segStart[e] === s0) e++;
    out.push([s0, e - s0, po]);
    po += (e - s0) * (e - s0);
    s0 = e;
  }
  return out;
}

interface LoraSlot {
  a: Arr;
  b: Arr;
  ga: Arr;
  gb: Arr;
  /** Saved X·Aᵀ per layer call, [T][r]. */
  xa: Arr;
}

interface Linear {
  w: Arr;
  g: Arr | null;
  inp: number;
  out: number;
  lora: LoraSlot | null;
}

interface LayerState {
  attnNorm: Arr; gAttnNorm: Arr | null;
  ffnNorm: Arr; gFfnNorm: Arr | null;
  q: Linear; k: Linear; v: Linear; o: Linear; gate: Linear; up: Linear; down: Linear;
  // saved activations
  xIn: Arr; h1: Arr; r1: Arr; qa: Arr; ka: Arr; va: Arr; probs: Arr; ao: Arr; xMid: Arr; h2: Arr; r2: Arr;
  ga: Arr; ua: Arr; act: Arr; sg: Arr;
}

/**
 * The model's working state over a backend: parameters, gradients and activations for rows of up
 * to `maxT` tokens. In full mode gradients cover every base weight; in LoRA mode only the adapters.
 */
export class Model {
  readonly params: Arr;
  readonly lora: Arr | null;
  /** Gradient of the trainable parameters (base in full mode, adapters in LoRA mode). */
  readonly grad: Arr;
  private readonly layers: LayerState[] = [];
  private readonly emb: Arr; private readonly gEmb: Arr | null;
  private readonly outNorm: Arr; private readonly gOutNorm: Arr | null;
  private readonly outW: Linear;
  private readonly xFinal: Arr; private readonly hF: Arr; private readonly rF: Arr; private readonly logits: Arr;
  private readonly dx: Arr; private readonly dh: Arr; private readonly dq: Arr; private readonly dk: Arr;
  private readonly dv: Arr; private readonly dao: Arr; private readonly dg: Arr; private readonly du: Arr;
  private readonly dact: Arr; private readonly dr: Arr; private readonly tmpR: Arr;
  private readonly daoh: Arr; private readonly dqh: Arr; private readonly dkh: Arr; private readonly dvh: Arr;
  private readonly dP: Arr;
  private segs: [number, number, number][] = [];
  private readonly cos: Float64Array; private readonly sin: Float64Array;
  private readonly loraScale: number;
  private T = 0;
  private row: Row | null = null;

  constructor(
    readonly cfg: ModelConfig,
    readonly be: Backend,
    readonly maxT: number,
    readonly loraCfg: LoraConfig | null = null,
  ) {
    const c = cfg;
    const hd = headDim(c);
    const base = baseLayout(c);
    this.params = be.alloc(base.total);
    const full = !loraCfg;
    const ll = loraCfg ? loraLayout(c, loraCfg) : null;
    this.lora = ll ? be.alloc(ll.total) : null;
    this.grad = be.alloc(full ? base.total : ll!.total);
    this.loraScale = loraCfg ? loraCfg.alpha / loraCfg.rank : 0;
    const byName = new Map(base.tensors.map((t) => [t.name, t]));
    const loraByName = new Map((ll?.tensors ?? []).map((t) => [t.name, t]));
    const view = (a: Arr, t: TensorInfo) => a.subarray(t.offset, t.offset + t.size);
    const p = (name: string) => view(this.params, byName.get(name)!);
    const g = (name: string) => (full ? view(this.grad, byName.get(name)!) : null);
    const rank = loraCfg?.rank ?? 0;
    const linear = (name: string, target: LoraTarget | null): Linear => {
      const t = byName.get(name)!;
      const la = loraByName.get(`${name}.lora_a`);
      const lb = loraByName.get(`${name}.lora_b`);
      const lora = target && la && lb
        ? { a: view(this.lora!, la), b: view(this.lora!, lb), ga: view(this.grad, la), gb: view(this.grad, lb), xa: be.alloc(maxT * rank) }
        : null;
      return { w: view(this.params, t), g: g(name), out: t.shape[0], inp: t.shape[1], lora };
    };
    this.emb = p("token_embd.weight");
    this.gEmb = g("token_embd.weight");
    const T = maxT;
    const qd = c.nHeads * hd, kd = c.nKvHeads * hd;
    for (let l = 0; l < c.nLayers; l++) {
      const n = (s: string) => `blk.${l}.${s}.weight`;
      this.layers.push({
        attnNorm: p(n("attn_norm")), gAttnNorm: g(n("attn_norm")),
        ffnNorm: p(n("ffn_norm")), gFfnNorm: g(n("ffn_norm")),
        q: linear(n("attn_q"), "attn_q"), k: linear(n("attn_k"), "attn_k"), v: linear(n("attn_v"), "attn_v"),
        o: linear(n("attn_output"), "attn_output"), gate: linear(n("ffn_gate"), "ffn_gate"),
        up: linear(n("ffn_up"), "ffn_up"), down: linear(n("ffn_down"), "ffn_down"),
        xIn: be.alloc(T * c.dim), h1: be.alloc(T * c.dim), r1: be.alloc(T),
        qa: be.alloc(T * qd), ka: be.alloc(T * kd), va: be.alloc(T * kd),
        probs: be.alloc(c.nHeads * T * T), ao: be.alloc(T * qd), xMid: be.alloc(T * c.dim),
        h2: be.alloc(T * c.dim), r2: be.alloc(T),
        ga: be.alloc(T * c.ffnDim), ua: be.alloc(T * c.ffnDim), act: be.alloc(T * c.ffnDim), sg: be.alloc(T * c.ffnDim),
      });
    }
    this.outNorm = p("output_norm.weight");
    this.gOutNorm = g("output_norm.weight");
    this.outW = linear("output.weight", null);
    this.xFinal = be.alloc(T * c.dim); this.hF = be.alloc(T * c.dim); this.rF = be.alloc(T);
    this.logits = be.alloc(T * c.vocabSize);
    const wide = Math.max(c.dim, qd, c.ffnDim);
    this.dx = be.alloc(T * c.dim); this.dh = be.alloc(T * wide);
    this.dq = be.alloc(T * qd); this.dk = be.alloc(T * kd); this.dv = be.alloc(T * kd);
    this.dao = be.alloc(T * qd); this.dg = be.alloc(T * c.ffnDim); this.du = be.alloc(T * c.ffnDim);
    this.dact = be.alloc(T * c.ffnDim); this.dr = be.alloc(T * Math.max(rank, 1)); this.tmpR = be.alloc(T * Math.max(rank, 1));
    this.daoh = be.alloc(T * qd); this.dqh = be.alloc(T * qd); this.dkh = be.alloc(T * kd); this.dvh = be.alloc(T * kd);
    this.dP = be.alloc(T * T);
    // RoPE tables, NORM mode: pair (2i, 2i+1) rotated by pos * base^(-2i/hd).
    this.cos = new Float64Array(c.contextLength * (hd / 2));
    this.sin = new Float64Array(c.contextLength * (hd / 2));
    for (let pos = 0; pos < c.contextLength; pos++) {
      for (let i = 0; i < hd / 2; i++) {
        const th = pos * Math.pow(c.ropeBase, (-2 * i) / hd);
        this.cos[pos * (hd / 2) + i] = Math.cos(th);
        this.sin[pos * (hd / 2) + i] = Math.sin(th);
      }
    }
  }

  zeroGrad(): void {
    this.grad.fill(0);
  }

  private linearFwd(L: Linear, x: Arr, y: Arr, T: number): void {
    this.be.matmulNT(x, L.w, y, T, L.inp, L.out, false);
    if (L.lora) {
      const r = this.loraCfg!.rank;
      this.be.matmulNT(x, L.lora.a, L.lora.xa, T, L.inp, r, false);
      const ts = this.tmpR;
      const s = this.loraScale;
      for (let i = 0; i < T * r; i++) ts[i] = L.lora.xa[i] * s;
      this.be.matmulNT(ts, L.lora.b, y, T, r, L.out, true);
    }
  }

  /** Accumulates weight gradients and sets (or adds to, when acc) dx = dy · W. */
  private linearBwd(L: Linear, x: Arr, dy: Arr, dx: Arr, T: number, acc: boolean): void {
    if (L.g) this.be.matmulTN(dy, x, L.g, L.out, T, L.inp, true);
    this.be.matmulNN(dy, L.w, dx, T, L.out, L.inp, acc);
    if (L.lora) {
      const r = this.loraCfg!.rank;
      const s = this.loraScale;
      const ts = this.tmpR;
      for (let i = 0; i < T * r; i++) ts[i] = L.lora.xa[i] * s;
      this.be.matmulTN(dy, ts, L.lora.gb, L.out, T, r, true);
      const dr = this.dr;
      this.be.matmulNN(dy, L.lora.b, dr, T, L.out, r, false);
      for (let i = 0; i < T * r; i++) dr[i] *= s;
      this.be.matmulTN(dr, x, L.lora.ga, r, T, L.inp, true);
      this.be.matmulNN(dr, L.lora.a, dx, T, r, L.inp, true);
    }
  }

  private rmsFwd(x: Arr, w: Arr, y: Arr, rinv: Arr, T: number): void {
    const d = this.cfg.dim;
    for (let t = 0; t < T; t++) {
      let ss = 0;
      for (let j = 0; j < d; j++) ss += x[t * d + j] * x[t * d + j];
      const r = 1 / Math.sqrt(ss / d + this.cfg.normEps);
      rinv[t] = r;
      for (let j = 0; j < d; j++) y[t * d + j] = x[t * d + j] * r * w[j];
    }
  }

  /** dx += RMSNorm backward of dy; accumulates the gain gradient. */
  private rmsBwd(x: Arr, w: Arr, gw: Arr | null, rinv: Arr, dy: Arr, dx: Arr, T: number): void {
    const d = this.cfg.dim;
    for (let t = 0; t < T; t++) {
      const r = rinv[t];
      let dot = 0;
      for (let j = 0; j < d; j++) dot += dy[t * d + j] * w[j] * x[t * d + j];
      const k = (r * r * r * dot) / d;
      for (let j = 0; j < d; j++) {
        const i = t * d + j;
        if (gw) gw[j] += dy[i] * x[i] * r;
        dx[i] += dy[i] * w[j] * r - x[i] * k;
      }
    }
  }

  private rope(a: Arr, nh: number, T: number, sign: 1 | -1): void {
    const hd = headDim(this.cfg);
    const half = hd / 2;
    const pos = this.row!.pos;
    for (let t = 0; t < T; t++) {
      const tb = pos[t] * half;
      for (let h = 0; h < nh; h++) {
        const o = (t * nh + h) * hd;
        for (let i = 0; i < half; i++) {
          const c = this.cos[tb + i], s = sign * this.sin[tb + i];
          const x0 = a[o + 2 * i], x1 = a[o + 2 * i + 1];
          a[o + 2 * i] = x0 * c - x1 * s;
          a[o + 2 * i + 1] = x0 * s + x1 * c;
        }
      }
    }
  }

  /** Runs the row forward; returns the summed loss over positions with a target and their count. */
  forward(row: Row): { loss: number; count: number } {
    const c = this.cfg;
    const T = row.tokens.length;
    if (T > this.maxT) throw new Error(`row of ${T} tokens exceeds ${this.maxT}`);
    this.T = T;
    this.row = row;
    const d = c.dim, hd = headDim(c), nh = c.nHeads, nkv = c.nKvHeads, grp = nh / nkv;
    const scale = 1 / Math.sqrt(hd);
    const segs = (this.segs = segments(row));
    let x = this.layers.length ? this.layers[0].xIn : this.xFinal;
    for (let t = 0; t < T; t++) x.set(this.emb.subarray(row.tokens[t] * d, row.tokens[t] * d + d), t * d);
    for (let l = 0; l < c.nLayers; l++) {
      const L = this.layers[l];
      this.rmsFwd(L.xIn, L.attnNorm, L.h1, L.r1, T);
      // Project into row layout scratch, rotate, then keep head-major copies for the attention matmuls.
      this.linearFwd(L.q, L.h1, this.dq, T);
      this.linearFwd(L.k, L.h1, this.dk, T);
      this.linearFwd(L.v, L.h1, this.dv, T);
      this.rope(this.dq, nh, T, 1);
      this.rope(this.dk, nkv, T, 1);
      toHeads(this.dq, L.qa, nh, T, hd);
      toHeads(this.dk, L.ka, nkv, T, hd);
      toHeads(this.dv, L.va, nkv, T, hd);
      const aoh = this.daoh;
      for (let h = 0; h < nh; h++) {
        const kh = Math.floor(h / grp);
        for (const [s0, n, po] of segs) {
          const Q = L.qa.subarray((h * T + s0) * hd, (h * T + s0 + n) * hd);
          const K = L.ka.subarray((kh * T + s0) * hd, (kh * T + s0 + n) * hd);
          const Vv = L.va.subarray((kh * T + s0) * hd, (kh * T + s0 + n) * hd);
          const P = L.probs.subarray(h * T * T + po, h * T * T + po + n * n);
          this.be.matmulNT(Q, K, P, n, hd, n, false);
          causalSoftmax(P, n, scale);
          this.be.matmulNN(P, Vv, aoh.subarray((h * T + s0) * hd, (h * T + s0 + n) * hd), n, n, hd, false);
        }
      }
      fromHeads(aoh, L.ao, nh, T, hd);
      const xm = L.xMid;
      this.linearFwd(L.o, L.ao, xm, T);
      for (let i = 0; i < T * d; i++) xm[i] += L.xIn[i];
      this.rmsFwd(xm, L.ffnNorm, L.h2, L.r2, T);
      this.linearFwd(L.gate, L.h2, L.ga, T);
      this.linearFwd(L.up, L.h2, L.ua, T);
      const { ga, ua, act } = L;
      const sg = L.sg;
      for (let i = 0; i < T * c.ffnDim; i++) {
        sg[i] = 1 / (1 + Math.exp(-ga[i]));
        act[i] = ga[i] * sg[i] * ua[i];
      }
      x = l + 1 < c.nLayers ? this.layers[l + 1].xIn : this.xFinal;
      this.linearFwd(L.down, act, x, T);
      for (let i = 0; i < T * d; i++) x[i] += xm[i];
    }
    this.rmsFwd(this.xFinal, this.outNorm, this.hF, this.rF, T);
    this.linearFwd(this.outW, this.hF, this.logits, T);
    const V = c.vocabSize;
    let loss = 0, count = 0;
    for (let t = 0; t < T; t++) {
      const tg = row.targets[t];
      if (tg < 0) continue;
      const o = t * V;
      let mx = -Infinity;
      for (let j = 0; j < V; j++) if (this.logits[o + j] > mx) mx = this.logits[o + j];
      let sum = 0;
      for (let j = 0; j < V; j++) sum += Math.exp(this.logits[o + j] - mx);
      loss += Math.log(sum) + mx - this.logits[o + tg];
      count++;
    }
    return { loss, count };
  }

  /** Logits of the last forward pass at position t (a view, valid until the next forward). */
  logitsAt(t: number): Arr {
    const V = this.cfg.vocabSize;
    return this.logits.subarray(t * V, t * V + V);
  }

  /** Backpropagates `lossScale` × (summed loss of the last forward) into `grad` (accumulating). */
  backward(lossScale: number): void {
    const c = this.cfg;
    const row = this.row!;
    const T = this.T;
    const d = c.dim, hd = headDim(c), nh = c.nHeads, nkv = c.nKvHeads, grp = nh / nkv;
    const kd = nkv * hd, V = c.vocabSize, F = c.ffnDim;
    const scale = 1 / Math.sqrt(hd);
    const dl = this.logits; // turned into dLoss/dlogits in place
    for (let t = 0; t < T; t++) {
      const o = t * V;
      const tg = row.targets[t];
      if (tg < 0) {
        dl.fill(0, o, o + V);
        continue;
      }
      let mx = -Infinity;
      for (let j = 0; j < V; j++) if (dl[o + j] > mx) mx = dl[o + j];
      let sum = 0;
      for (let j = 0; j < V; j++) sum += (dl[o + j] = Math.exp(dl[o + j] - mx));
      for (let j = 0; j < V; j++) dl[o + j] = (dl[o + j] / sum) * lossScale;
      dl[o + tg] -= lossScale;
    }
    const dh = this.dh, dx = this.dx;
    this.linearBwd(this.outW, this.hF, dl, dh, T, false);
    dx.fill(0, 0, T * d);
    this.rmsBwd(this.xFinal, this.outNorm, this.gOutNorm, this.rF, dh, dx, T);
    for (let l = c.nLayers - 1; l >= 0; l--) {
      const L = this.layers[l];
      // dx holds dLoss/d(layer output); the residual passes it through unchanged.
      const { ga, ua, dact, dg, du } = { ga: L.ga, ua: L.ua, dact: this.dact, dg: this.dg, du: this.du };
      this.linearBwd(L.down, L.act, dx, dact, T, false);
      const sgs = L.sg;
      for (let i = 0; i < T * F; i++) {
        const sg = sgs[i];
        du[i] = dact[i] * ga[i] * sg;
        dg[i] = dact[i] * ua[i] * sg * (1 + ga[i] * (1 - sg));
      }
      this.linearBwd(L.gate, L.h2, dg, dh, T, false);
      this.linearBwd(L.up, L.h2, du, dh, T, true);
      this.rmsBwd(L.xMid, L.ffnNorm, L.gFfnNorm, L.r2, dh, dx, T);
      // dx now holds dLoss/d(xMid); attention branch
      const dao = this.dao;
      this.linearBwd(L.o, L.ao, dx, dao, T, false);
      const dq = this.dq, dk = this.dk, dv = this.dv, daoh = this.daoh, dP = this.dP;
      const dqh = this.dqh, dkh = this.dkh, dvh = this.dvh;
      toHeads(dao, daoh, nh, T, hd);
      dkh.fill(0, 0, T * kd);
      dvh.fill(0, 0, T * kd);
      for (let h = 0; h < nh; h++) {
        const kh = Math.floor(h / grp);
        for (const [s0, n, po] of this.segs) {
          const qo = (h * T + s0) * hd, ko = (kh * T + s0) * hd, sz = n * hd;
          const P = L.probs.subarray(h * T * T + po, h * T * T + po + n * n);
          const dO = daoh.subarray(qo, qo + sz);
          const dPb = dP.subarray(0, n * n);
          this.be.matmulNT(dO, L.va.subarray(ko, ko + sz), dPb, n, hd, n, false);
          this.be.matmulTN(P, dO, dvh.subarray(ko, ko + sz), n, n, hd, true);
          // dS = P ∘ (dP − rowsum(P ∘ dP)), with the score scale folded in
          for (let i = 0; i < n; i++) {
            let dot = 0;
            for (let j = 0; j <= i; j++) dot += P[i * n + j] * dPb[i * n + j];
            for (let j = 0; j < n; j++) dPb[i * n + j] = j <= i ? P[i * n + j] * (dPb[i * n + j] - dot) * scale : 0;
          }
          this.be.matmulNN(dPb, L.ka.subarray(ko, ko + sz), dqh.subarray(qo, qo + sz), n, n, hd, false);
          this.be.matmulTN(dPb, L.qa.subarray(qo, qo + sz), dkh.subarray(ko, ko + sz), n, n, hd, true);
        }
      }
      fromHeads(dqh, dq, nh, T, hd);
      fromHeads(dkh, dk, nkv, T, hd);
      fromHeads(dvh, dv, nkv, T, hd);
      this.rope(dq, nh, T, -1);
      this.rope(dk, nkv, T, -1);
      this.linearBwd(L.q, L.h1, dq, dh, T, false);
      this.linearBwd(L.k, L.h1, dk, dh, T, true);
      this.linearBwd(L.v, L.h1, dv, dh, T, true);
      this.rmsBwd(L.xIn, L.attnNorm, L.gAttnNorm, L.r1, dh, dx, T);
    }
    if (this.gEmb) {
      for (let t = 0; t < T; t++) {
        const o = row.tokens[t] * d;
        for (let j = 0; j < d; j++) this.gEmb[o + j] += dx[t * d + j];
      }
    }
  }
}
