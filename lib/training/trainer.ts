/**
 * The local trainer. One call runs a whole job:
 *
 *   const result = await runTraining(
 *     { base: "small" | "model.gguf", data: "train.jsonl", val: "val.jsonl", method: "full" | "lora",
 *       epochs, lr, batch, threads, checkpoint: "job.ckpt", resume: true, out: "model.gguf" },
 *     { onProgress: (p) => ..., signal },
 *   );
 *
 * Data is parsed and checked before anything runs (DatasetError lists every bad line). Rows are split
 * across `threads` worker_threads that share the weights; the main thread sums gradients, clips and
 * applies AdamW. With `checkpoint`, state is saved every `checkpointEvery` steps and on cancel
 * (AbortSignal); `resume` continues from it on the same curve. `out` is written only on success
 * (a full model GGUF, or with method "lora" an adapter GGUF for the base).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { DatasetError, countTargets, loadDataset, packExamples, shuffle, type Example } from "./data";
import { ensureKernelBuilt } from "./kernel/build";
import { LORA_TARGETS, baseLayout, initLora, initParams, loraLayout, type LoraConfig, type LoraTarget, type ModelConfig, type Row } from "./model";
import { AdamW, learningRate } from "./optimizer";
import { planRun } from "./plan";
import { PRESETS, exportLoraGguf, exportModelGguf, isPreset, loadBaseGguf } from "./weights";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./worker";

export interface TrainOptions {
  /** A preset name (tiny, small, medium: train from scratch) or a Kindling GGUF file. */
  base: string;
  /** JSONL file (chat or prompt/completion), or already parsed examples. */
  data: string | Example[];
  val?: string | Example[];
  method?: "full" | "lora";
  epochs?: number;
  /** Peak learning rate (default 1e-3 full, 1e-2 LoRA: the sample CSV task reached 5.5% at 2e-3, 95% at 1e-2). */
  lr?: number;
  /** Packed rows per optimizer step. */
  batch?: number;
  /** Tokens per packed row (default: the model's context, at most 256). */
  rowLength?: number;
  rank?: number;
  alpha?: number;
  targets?: LoraTarget[];
  threads?: number;
  seed?: number;
  /** Fraction of steps spent warming up. */
  warmup?: number;
  weightDecay?: number;
  clip?: number;
  /** Validation every this many steps (default: ten times per run). */
  evalEvery?: number;
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: boolean;
  out?: string;
  fileType?: "F32" | "F16";
  name?: string;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  /** Fractional epoch, e.g. 1.5 halfway through the second. */
  epoch: number;
  tokens: number;
  trainLoss: number;
  valLoss: number | null;
  lr: number;
  tokensPerSecond: number;
  etaSeconds: number;
}

export interface TrainResult {
  status: "completed" | "cancelled";
  steps: number;
  totalSteps: number;
  trainLoss: number;
  valLoss: number | null;
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  cfg: ModelConfig;
  lora: LoraConfig | null;
  params: Float32Array;
  loraParams: Float32Array | null;
  out: string | null;
}

export interface TrainHooks {
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

interface WorkerHandle {
  worker: Worker;
  grad: Float32Array;
  pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null;
}

const tsxApi = pathToFileURL(resolve(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href;
const workerModule = new URL("./worker.ts", import.meta.url).href;

// Workers load the TypeScript worker through tsx's API, so they run the same under tsx, vitest or Next.
function spawnWorker(init: WorkerInit): Worker {
  const code = `import { tsImport } from ${JSON.stringify(tsxApi)}; await tsImport(${JSON.stringify(workerModule)}, import.meta.url);`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: init });
}

function call(h: WorkerHandle, req: WorkerRequest): Promise<WorkerReply> {
  return new Promise((res, rej) => {
    h.pending = { resolve: res, reject: rej };
    h.worker.postMessage(req);
  });
}

/**
 * Splits rows between `n` workers so each gets about the same number of tokens: longest row first,
 * each to the least-loaded worker. Deterministic, so resumes match. A step waits for its slowest
 * worker, and contiguous chunks left one worker up to a fifth busier than the other (measured).
 */
function split(rowIds: number[], rows: Row[], n: number): number[][] {
  const chunks: number[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const longestFirst = [...rowIds].sort((a, b) => rows[b].tokens.length - rows[a].tokens.length || a - b);
  for (const i of longestFirst) {
    let w = 0;
    for (let k = 1; k < n; k++) if (load[k] < load[w]) w = k;
    chunks[w].push(i);
    load[w] += rows[i].tokens.length;
  }
  return chunks;
}

function hashRows(rows: Row[]): string {
  let h = 0x811c9dc5;
  for (const r of rows) for (let i = 0; i < r.tokens.length; i++) h = Math.imul(h ^ (r.tokens[i] + 7 * (r.targets[i] + 2)), 0x01000193);
  return (h >>> 0).toString(16);
}

interface CheckpointHeader {
  version: 1;
  fingerprint: string;
  step: number;
  adamT: number;
  tokens: number;
  lastTrainLoss: number;
  lastValLoss: number | null;
}

async function saveCheckpoint(path: string, header: CheckpointHeader, arrays: Float32Array[]): Promise<void> {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const tmp = `${path}.${process.pid}.tmp`;
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(tmp, Buffer.concat([len, json, ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]));
  await rename(tmp, path);
}

async function loadCheckpoint(path: string, fingerprint: string, arrays: Float32Array[]): Promise<CheckpointHeader> {
  const buf = await readFile(path);
  const len = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + len).toString()) as CheckpointHeader;
  if (header.fingerprint !== fingerprint) {
    throw new Error(`checkpoint ${path} belongs to a different job (base, data or options changed); remove it or drop --resume`);
  }
  let o = 4 + len;
  for (const a of arrays) {
    const bytes = a.byteLength;
    if (o + bytes > buf.length) throw new Error(`checkpoint ${path} is truncated`);
    new Uint8Array(a.buffer, a.byteOffset, bytes).set(buf.subarray(o, o + bytes));
    o += bytes;
  }
  return header;
}

async function readExamples(src: string | Example[], contextLength: number): Promise<Example[]> {
  if (typeof src === "string") return loadDataset(src, contextLength);
  const issues = src.filter((e) => e.tokens.length > contextLength)
    .map((e) => ({ line: e.line, message: `example is ${e.tokens.length} tokens, longer than the model's context of ${contextLength} tokens` }));
  if (issues.length) throw new DatasetError("examples", issues);
  return src;
}

export async function runTraining(options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  const method = options.method ?? "full";
  const seed = options.seed ?? 1;
  const threads = Math.max(1, options.threads ?? 2);
  const epochs = options.epochs ?? 3;
  const batch = options.batch ?? 8;

  // Everything that can be wrong with the input is checked before any work or output.
  let cfg: ModelConfig;
  let baseParams: Float32Array;
  let name = options.name ?? "kindling-model";
  if (isPreset(options.base)) {
    cfg = PRESETS[options.base];
    baseParams = new Float32Array(baseLayout(cfg).total);
    initParams(cfg, baseParams, seed);
  } else {
    if (!existsSync(options.base)) {
      throw new Error(`--base ${options.base}: no such file, and not a preset (${Object.keys(PRESETS).join(", ")})`);
    }
    const loaded = await loadBaseGguf(options.base);
    cfg = loaded.cfg;
    baseParams = loaded.params;
    name = options.name ?? `${loaded.name}-ft`;
  }
  if (method === "lora" && isPreset(options.base)) throw new Error("LoRA needs a trained base model (a GGUF file), not a preset");
  const train = await readExamples(options.data, cfg.contextLength);
  const val = options.val ? await readExamples(options.val, cfg.contextLength) : [];
  if (options.out) {
    const dir = dirname(resolve(options.out));
    if (!existsSync(dir) || !(await stat(dir)).isDirectory()) throw new Error(`--out ${options.out}: directory ${dir} does not exist`);
  }
  const rowLength = Math.min(options.rowLength ?? 256, cfg.contextLength);
  const rows = packExamples(shuffle([...train], seed), rowLength);
  const valRows = packExamples(val, rowLength);
  const allRows = [...rows, ...valRows];
  const targetsPerRow = allRows.map(countTargets);

  const lora: LoraConfig | null = method === "lora"
    ? { rank: options.rank ?? 8, alpha: options.alpha ?? 16, targets: options.targets ?? ["attn_q", "attn_v"] }
    : null;
  if (lora) {
    for (const t of lora.targets) if (!LORA_TARGETS.includes(t)) throw new Error(`unknown LoRA target "${t}" (use ${LORA_TARGETS.join(", ")})`);
  }
  const { stepsPerEpoch, totalSteps, evalEvery } = planRun(train.map((e) => e.tokens.length), {
    rowLength, batch, epochs, seed, evalEvery: options.evalEvery, validation: valRows.length > 0,
  });
  const lr = options.lr ?? (lora ? 1e-2 : 1e-3);
  const schedule = { lr, minLr: lr * 0.1, warmupSteps: Math.max(1, Math.round((options.warmup ?? 0.05) * totalSteps)), totalSteps };

  const paramsSab = new SharedArrayBuffer(baseParams.byteLength);
  const params = new Float32Array(paramsSab);
  params.set(baseParams);
  const layout = lora ? loraLayout(cfg, lora) : baseLayout(cfg);
  const loraSab = lora ? new SharedArrayBuffer(layout.total * 4) : null;
  const loraParams = loraSab ? new Float32Array(loraSab) : null;
  if (lora) initLora(cfg, lora, loraParams!, seed + 1);
  const trainable = loraParams ?? params;
  const decay = new Uint8Array(layout.total);
  for (const t of layout.tensors) if (t.decay) decay.fill(1, t.offset, t.offset + t.size);
  const opt = new AdamW(layout.total, decay, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: options.weightDecay ?? 0.01 });

  const fingerprint = JSON.stringify({
    base: isPreset(options.base) ? options.base : resolve(options.base), method, epochs, lr, batch, rowLength, seed, lora,
    rows: hashRows(rows), n: rows.length, wd: options.weightDecay ?? 0.01, warmup: schedule.warmupSteps, clip: options.clip ?? 1,
  });
  let step = 0, tokens = 0, lastTrain = NaN, lastVal: number | null = null;
  if (options.checkpoint && options.resume && existsSync(options.checkpoint)) {
    const h = await loadCheckpoint(options.checkpoint, fingerprint, [trainable, opt.m, opt.v]);
    step = h.step;
    opt.t = h.adamT;
    tokens = h.tokens;
    lastTrain = h.lastTrainLoss;
    lastVal = h.lastValLoss;
  }
  const checkpoint = async () => {
    if (!options.checkpoint) return;
    await saveCheckpoint(options.checkpoint, { version: 1, fingerprint, step, adamT: opt.t, tokens, lastTrainLoss: lastTrain, lastValLoss: lastVal },
      [trainable, opt.m, opt.v]);
  };

  const wasmFile = await ensureKernelBuilt();
  const maxT = Math.max(...allRows.map((r) => r.tokens.length));
  const handles: WorkerHandle[] = [];
  const workerError = (h: WorkerHandle, e: Error) => { const p = h.pending; h.pending = null; p?.reject(e); };
  for (let w = 0; w < threads; w++) {
    const gradSab = new SharedArrayBuffer(layout.total * 4);
    const worker = spawnWorker({ cfg, lora, maxT, wasmFile, params: paramsSab, loraParams: loraSab, grad: gradSab, rows: allRows });
    const h: WorkerHandle = { worker, grad: new Float32Array(gradSab), pending: null };
    worker.on("message", (m: WorkerReply | { error: string }) => {
      const p = h.pending;
      h.pending = null;
      if ("error" in m) p?.reject(new Error(`training worker failed: ${m.error}`));
      else p?.resolve(m);
    });
    worker.on("error", (e) => workerError(h, e));
    worker.on("exit", (code) => workerError(h, new Error(`training worker exited (code ${code})`)));
    handles.push(h);
  }

  const evaluate = async (): Promise<number | null> => {
    if (!valRows.length) return null;
    const ids = valRows.map((_, i) => rows.length + i);
    const replies = await Promise.all(split(ids, allRows, handles.length).map((c, w) => call(handles[w], { type: "eval", rows: c })));
    const loss = replies.reduce((s, r) => s + r.loss, 0);
    const count = replies.reduce((s, r) => s + r.count, 0);
    return count ? loss / count : null;
  };

  const grad = new Float32Array(layout.total);
  const started = performance.now();
  const startStep = step, startTokens = tokens;
  let order: number[] = [];
  let orderEpoch = -1;
  let status: TrainResult["status"] = "completed";
  try {
    if (step === 0 && valRows.length) lastVal = await evaluate();
    while (step < totalSteps) {
      if (hooks.signal?.aborted) {
        status = "cancelled";
        await checkpoint();
        break;
      }
      const epoch = Math.floor(step / stepsPerEpoch);
      if (epoch !== orderEpoch) {
        order = shuffle(rows.map((_, i) => i), seed * 7919 + epoch);
        orderEpoch = epoch;
      }
      const k = step % stepsPerEpoch;
      const ids = order.slice(k * batch, (k + 1) * batch);
      const count = ids.reduce((s, i) => s + targetsPerRow[i], 0);
      const chunks = split(ids, allRows, handles.length);
      const replies = await Promise.all(chunks.map((c, w) => call(handles[w], { type: "step", rows: c, lossScale: 1 / Math.max(1, count) })));
      grad.set(handles[0].grad);
      for (let w = 1; w < handles.length; w++) {
        const g = handles[w].grad;
        for (let i = 0; i < grad.length; i++) grad[i] += g[i];
      }
      AdamW.clip(grad, options.clip ?? 1);
      const rate = learningRate(schedule, step);
      opt.step(trainable, grad, rate);
      step++;
      tokens += ids.reduce((s, i) => s + allRows[i].tokens.length, 0);
      lastTrain = replies.reduce((s, r) => s + r.loss, 0) / Math.max(1, count);
      if (step % evalEvery === 0 || step === totalSteps) lastVal = await evaluate();
      if (options.checkpoint && options.checkpointEvery && step % options.checkpointEvery === 0) await checkpoint();
      const secs = (performance.now() - started) / 1000;
      const tps = (tokens - startTokens) / Math.max(secs, 1e-9);
      hooks.onProgress?.({
        step, totalSteps, epoch: step / stepsPerEpoch, tokens, trainLoss: lastTrain, valLoss: lastVal, lr: rate,
        tokensPerSecond: tps, etaSeconds: ((totalSteps - step) * secs) / Math.max(1, step - startStep),
      });
    }
  } finally {
    await Promise.all(handles.map((h) => { h.worker.removeAllListeners("exit"); return h.worker.terminate(); }));
  }
  const seconds = (performance.now() - started) / 1000;
  let out: string | null = null;
  if (status === "completed" && options.out) {
    if (lora) await exportLoraGguf(options.out, cfg, lora, loraParams!, { name: `${name}-lora`, fileType: options.fileType });
    else await exportModelGguf(options.out, cfg, params, { name, fileType: options.fileType });
    out = options.out;
  }
  if (status === "completed" && options.checkpoint) await rm(options.checkpoint, { force: true });
  return {
    status, steps: step, totalSteps, trainLoss: lastTrain, valLoss: lastVal, tokens, seconds,
    tokensPerSecond: (tokens - startTokens) / Math.max(seconds, 1e-9), cfg, lora,
    params: Float32Array.from(params), loraParams: loraParams ? Float32Array.from(loraParams) : null, out,
  };
}
