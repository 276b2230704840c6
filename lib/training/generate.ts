// Greedy decoding with the trainer's own weights and a KV cache: the reference the llama.cpp parity
// test compares against, and what the starter build and the bench use to score answers.
import { END_ID, decodeTokens } from "../gguf/kindling-vocab";
import { baseLayout, headDim, loraLayout, type LoraConfig, type ModelConfig } from "./model";

export interface Weights {
  cfg: ModelConfig;
  params: Float32Array;
  lora?: { cfg: LoraConfig; params: Float32Array } | null;
}

function matVec(w: Float32Array, x: Float32Array, out: Float32Array, acc = false): void {
  const n = x.length;
  for (let o = 0; o < out.length; o++) {
    let s = 0;
    const b = o * n;
    for (let i = 0; i < n; i++) s += w[b + i] * x[i];
    out[o] = acc ? out[o] + s : s;
  }
}

function rmsNorm(x: Float32Array, w: Float32Array, eps: number, out: Float32Array): void {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i] * x[i];
  const r = 1 / Math.sqrt(ss / x.length + eps);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * r * w[i];
}

/** Greedy continuation of `prompt` until `<|end|>`, `maxTokens` or the context is full. */
export function generateGreedy(weights: Weights, prompt: number[], maxTokens = 64, stop: number[] = [END_ID]): number[] {
  const c = weights.cfg;
  const hd = headDim(c), nh = c.nHeads, nkv = c.nKvHeads, grp = nh / nkv, d = c.dim;
  const t = new Map(baseLayout(c).tensors.map((x) => [x.name, weights.params.subarray(x.offset, x.offset + x.size)]));
  const lt = new Map((weights.lora ? loraLayout(c, weights.lora.cfg).tensors : []).map((x) => [x.name, weights.lora!.params.subarray(x.offset, x.offset + x.size)]));
  const scale = weights.lora ? weights.lora.cfg.alpha / weights.lora.cfg.rank : 0;
  const linear = (name: string, x: Float32Array, out: Float32Array) => {
    matVec(t.get(name)!, x, out);
    const a = lt.get(`${name}.lora_a`), b = lt.get(`${name}.lora_b`);
    if (a && b) {
      const r = weights.lora!.cfg.rank;
      const ax = new Float32Array(r);
      matVec(a, x, ax);
      for (let i = 0; i < r; i++) ax[i] *= scale;
      matVec(b, ax, out, true);
    }
  };
  const ctx = c.contextLength;
  const kc = Array.from({ length: c.nLayers }, () => new Float32Array(ctx * nkv * hd));
  const vc = Array.from({ length: c.nLayers }, () => new Float32Array(ctx * nkv * hd));
  const x = new Float32Array(d), h = new Float32Array(d), q = new Float32Array(nh * hd), k = new Float32Array(nkv * hd);
  const v = new Float32Array(nkv * hd), ao = new Float32Array(nh * hd), tmp = new Float32Array(d);
  const g = new Float32Array(c.ffnDim), u = new Float32Array(c.ffnDim), logits = new Float32Array(c.vocabSize);
  const att = new Float32Array(ctx);
  const rope = (a: Float32Array, heads: number, pos: number) => {
    for (let hh = 0; hh < heads; hh++) {
      for (let i = 0; i < hd / 2; i++) {
        const th = pos * Math.pow(c.ropeBase, (-2 * i) / hd);
        const cs = Math.cos(th), sn = Math.sin(th), o = hh * hd + 2 * i;
        const x0 = a[o], x1 = a[o + 1];
        a[o] = x0 * cs - x1 * sn;
        a[o + 1] = x0 * sn + x1 * cs;
      }
    }
  };
  const step = (token: number, pos: number) => {
    x.set(t.get("token_embd.weight")!.subarray(token * d, token * d + d));
    for (let l = 0; l < c.nLayers; l++) {
      const n = (s: string) => `blk.${l}.${s}.weight`;
      rmsNorm(x, t.get(n("attn_norm"))!, c.normEps, h);
      linear(n("attn_q"), h, q);
      linear(n("attn_k"), h, k);
      linear(n("attn_v"), h, v);
      rope(q, nh, pos);
      rope(k, nkv, pos);
      kc[l].set(k, pos * nkv * hd);
      vc[l].set(v, pos * nkv * hd);
      ao.fill(0);
      for (let hh = 0; hh < nh; hh++) {
        const kh = Math.floor(hh / grp);
        let mx = -Infinity;
        for (let s = 0; s <= pos; s++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[hh * hd + i] * kc[l][(s * nkv + kh) * hd + i];
          att[s] = dot / Math.sqrt(hd);
          if (att[s] > mx) mx = att[s];
        }
        let sum = 0;
        for (let s = 0; s <= pos; s++) sum += (att[s] = Math.exp(att[s] - mx));
        for (let s = 0; s <= pos; s++) {
          const p = att[s] / sum;
          for (let i = 0; i < hd; i++) ao[hh * hd + i] += p * vc[l][(s * nkv + kh) * hd + i];
        }
      }
      linear(n("attn_output"), ao, tmp);
      for (let i = 0; i < d; i++) x[i] += tmp[i];
      rmsNorm(x, t.get(n("ffn_norm"))!, c.normEps, h);
      linear(n("ffn_gate"), h, g);
      linear(n("ffn_up"), h, u);
      for (let i = 0; i < g.length; i++) g[i] = (g[i] / (1 + Math.exp(-g[i]))) * u[i];
      linear(n("ffn_down"), g, tmp);
      for (let i = 0; i < d; i++) x[i] += tmp[i];
    }
    rmsNorm(x, t.get("output_norm.weight")!, c.normEps, h);
    matVec(t.get("output.weight")!, h, logits);
  };
  const out: number[] = [];
  let pos = 0;
  for (const tok of prompt) {
    if (pos >= ctx) return out;
    step(tok, pos++);
  }
  while (out.length < maxTokens && pos < ctx) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    if (stop.includes(best)) break;
    out.push(best);
    if (out.length >= maxTokens || pos >= ctx) break;
    step(best, pos++);
  }
  return out;
}

export function generateText(weights: Weights, prompt: number[], maxTokens = 64): string {
  return decodeTokens(generateGreedy(weights, prompt, maxTokens));
}
