// llama.cpp parity: models trained and exported by the trainer give, in node-llama-cpp, the same greedy
// tokens as the trainer's own forward pass, for a full model and for a LoRA adapter on it.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { END_ID } from "../gguf/kindling-vocab";
import { jsBackend } from "./backend";
import { promptTokens, tokenizeConversation, type Example } from "./data";
import { generateGreedy, type Weights } from "./generate";
import { Model } from "./model";
import { csvExamples, starterExamples, type ChatExample } from "./starter/tasks";
import { runTraining } from "./trainer";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "kindling-parity-"));
const CHILD = new URL("./llama-greedy.ts", import.meta.url).pathname;

const toExamples = (xs: ChatExample[]): Example[] =>
  xs.map((x, i) => {
    const t = tokenizeConversation(x.messages);
    return { tokens: Int32Array.from(t.tokens), loss: Uint8Array.from(t.loss), line: i + 1 };
  });
const prompts = (xs: ChatExample[]) => xs.map((x) => promptTokens(x.messages));

async function llamaGreedy(model: string, ps: number[][], maxTokens: number, adapter?: string): Promise<number[][]> {
  const job = join(dir, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(job, JSON.stringify({ model, adapter, maxTokens, stop: [END_ID], prompts: ps, threads: 1 }));
  const { stdout } = await run(process.execPath, ["--import", "tsx", CHILD, job], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as number[][];
}

let base: Weights;
const baseFile = join(dir, "base.gguf");
const adapterFile = join(dir, "adapter.gguf");
let adapted: Weights;

beforeAll(async () => {
  const full = await runTraining({
    base: "tiny", data: toExamples(starterExamples(1, 600)), epochs: 2, batch: 4, lr: 3e-3, threads: 2, out: baseFile, name: "parity-base",
  });
  base = { cfg: full.cfg, params: full.params };
  const lora = await runTraining({
    base: baseFile, data: toExamples(csvExamples(2, 300)), method: "lora", rank: 4, alpha: 8,
    targets: ["attn_q", "attn_v", "ffn_up", "ffn_down"], epochs: 2, batch: 4, lr: 5e-3, threads: 2, out: adapterFile,
  });
  adapted = { cfg: lora.cfg, params: lora.params, lora: { cfg: lora.lora!, params: lora.loraParams! } };
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("llama.cpp parity (greedy, node-llama-cpp 3.21.1)", () => {
  it("full model: identical greedy tokens on 60 prompts", async () => {
    const ps = prompts(starterExamples(99, 60));
    const ours = ps.map((p) => generateGreedy(base, p, 24));
    expect(await llamaGreedy(baseFile, ps, 24)).toEqual(ours);
    // the outputs are not all the same string, so agreement means something
    expect(new Set(ours.map((o) => o.join(","))).size).toBeGreaterThan(5);
  });

  it("LoRA adapter on its base: identical greedy tokens on 60 prompts, and different from the base", async () => {
    const ps = prompts(csvExamples(98, 60));
    const ours = ps.map((p) => generateGreedy(adapted, p, 24));
    expect(await llamaGreedy(baseFile, ps, 24, adapterFile)).toEqual(ours);
    expect(ours).not.toEqual(ps.map((p) => generateGreedy(base, p, 24)));
  });

  it("the decoder agrees with the training forward pass (teacher-forced argmax)", () => {
    for (const w of [base, adapted]) {
      const m = new Model(w.cfg, jsBackend("f32"), 256, w.lora?.cfg ?? null);
      m.params.set(w.params);
      if (w.lora) m.lora!.set(w.lora.params);
      for (const p of prompts(starterExamples(97, 10))) {
        const gen = generateGreedy(w, p, 16);
        const seq = [...p, ...gen];
        const n = seq.length;
        m.forward({ tokens: Int32Array.from(seq), targets: new Int32Array(n).fill(-1), pos: Int32Array.from(seq, (_, i) => i), segStart: new Int32Array(n) });
        for (let i = 0; i < gen.length; i++) {
          const logits = m.logitsAt(p.length - 1 + i);
          let best = 0;
          for (let j = 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
          expect(best).toBe(gen[i]);
        }
      }
    }
  });
});
