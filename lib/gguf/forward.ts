// A plain reference forward pass of a Llama model, computing exactly what llama.cpp computes (lib/gguf/FORMAT.md, "The maths llama.cpp computes").

import { headDim, type LlamaHParams } from "./llama";

function rmsNorm(x: Float32Array, w: Float32Array, eps: number, out: Float32Array): void {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i] * x[i];
  const scale = 1 / Math.sqrt(ss / x.length + eps);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * scale * w[i];
}

/** y = W x with W row-major [out][in] (ggml ne [in, out]). */
function matVec(w: Float32Array, x: Float32Array, out: Float32Array): void {
  const nIn = x.length;
  for (let o = 0; o < out.length; o++) {
    let s = 0;
    const base = o * nIn;
    for (let i = 0; i < nIn; i++) s += w[base + i] * x[i];
    out[o] = s;
  }
}

/** llama.cpp's NORM RoPE: adjacent pairs (2i, 2i+1) rotated by pos * base^(-2i/headDim). */
function rope(v: Float32Array, heads: number, hd: number, pos: number, base: number): void {
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < hd / 2; i++) {
      const theta = pos * Math.pow(base, (-2 * i) / hd);
      const c = Math.cos(theta);
      const s = Math.sin(theta);
      const j = h * hd + 2 * i;
      const a = v[j];
      const b = v[j + 1];
      v[j] = a * c - b * s;
      v[j + 1] = a * s + b * c;
    }
  }
}

function get(weights: Map<string, Float32Array>, name: string): Float32Array {
  const w = weights.get(name);
  if (!w) throw new Error(`missing tensor "${name}"`);
  return w;
}

/** Logits for every position of `tokens` (row t = the prediction after tokens[0..t]), row-major [T][vocab]. */
export function llamaForward(hp: LlamaHParams, weights: Map<string, Float32Array>, tokens: readonly number[]): Float32Array {
  const d = hp.embeddingLength;
  const hd = headDim(hp);
  const nq = hp.headCount * hd;
  const nkv = hp.headCountKv * hd;
  const group = hp.headCount / hp.headCountKv;
  const T = tokens.length;
  const emb = get(weights, "token_embd.weight");
  const out = weights.get("output.weight") ?? emb;
  const xs = tokens.map((tok) => emb.slice(tok * d, (tok + 1) * d));
  const h = new Float32Array(d);
  const q = new Float32Array(nq);
  const att = new Float32Array(nq);
  const proj = new Float32Array(d);
  const gate = new Float32Array(hp.feedForwardLength);
  const up = new Float32Array(hp.feedForwardLength);
  const scores = new Float64Array(T);
  for (let l = 0; l < hp.blockCount; l++) {
    const p = `blk.${l}.`;
    const ks = Array.from({ length: T }, () => new Float32Array(nkv));
    const vs = Array.from({ length: T }, () => new Float32Array(nkv));
    const qs = Array.from({ length: T }, () => new Float32Array(nq));
    for (let t = 0; t < T; t++) {
      rmsNorm(xs[t], get(weights, `${p}attn_norm.weight`), hp.rmsEps, h);
      matVec(get(weights, `${p}attn_q.weight`), h, qs[t]);
      matVec(get(weights, `${p}attn_k.weight`), h, ks[t]);
      matVec(get(weights, `${p}attn_v.weight`), h, vs[t]);
      rope(qs[t], hp.headCount, hd, t, hp.ropeFreqBase);
      rope(ks[t], hp.headCountKv, hd, t, hp.ropeFreqBase);
    }
    for (let t = 0; t < T; t++) {
      q.set(qs[t]);
      for (let head = 0; head < hp.headCount; head++) {
        const kvOff = Math.floor(head / group) * hd;
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[head * hd + i] * ks[s][kvOff + i];
          scores[s] = dot / Math.sqrt(hd);
          if (scores[s] > max) max = scores[s];
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) sum += scores[s] = Math.exp(scores[s] - max);
        for (let i = 0; i < hd; i++) {
          let acc = 0;
          for (let s = 0; s <= t; s++) acc += scores[s] * vs[s][kvOff + i];
          att[head * hd + i] = acc / sum;
        }
      }
      matVec(get(weights, `${p}attn_output.weight`), att, proj);
      for (let i = 0; i < d; i++) xs[t][i] += proj[i];
      rmsNorm(xs[t], get(weights, `${p}ffn_norm.weight`), hp.rmsEps, h);
      matVec(get(weights, `${p}ffn_gate.weight`), h, gate);
      matVec(get(weights, `${p}ffn_up.weight`), h, up);
      for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
      matVec(get(weights, `${p}ffn_down.weight`), gate, proj);
      for (let i = 0; i < d; i++) xs[t][i] += proj[i];
    }
  }
  const logits = new Float32Array(T * hp.vocabSize);
  for (let t = 0; t < T; t++) {
    rmsNorm(xs[t], get(weights, "output_norm.weight"), hp.rmsEps, h);
    matVec(out, h, logits.subarray(t * hp.vocabSize, (t + 1) * hp.vocabSize));
  }
  return logits;
}

/** Greedy continuation of `prompt` by `count` tokens with the reference forward pass. */
export function llamaGreedy(hp: LlamaHParams, weights: Map<string, Float32Array>, prompt: readonly number[], count: number): number[] {
  const tokens = [...prompt];
  const generated: number[] = [];
  for (let n = 0; n < count; n++) {
    const logits = llamaForward(hp, weights, tokens);
    const row = logits.subarray((tokens.length - 1) * hp.vocabSize);
    let best = 0;
    for (let v = 1; v < hp.vocabSize; v++) if (row[v] > row[best]) best = v;
    tokens.push(best);
    generated.push(best);
  }
  return generated;
}
