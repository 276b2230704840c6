// `npm run train -- --base <file.gguf|preset> --data <train.jsonl> [--val <val.jsonl>] --method full|lora --out <file.gguf>`
// Prints progress lines; as a child process with an IPC channel it also sends each event with process.send.
import { parseArgs } from "node:util";
import { lowerPriority, parseNice } from "../engine/priority";
import { LORA_TARGETS, countParams, type LoraTarget } from "./model";
import { runTraining, type TrainOptions, type TrainProgress } from "./trainer";
import { PRESETS } from "./weights";

const USAGE = `usage: npm run train -- --base <file.gguf|${Object.keys(PRESETS).join("|")}> --data <train.jsonl> --out <file.gguf>
  [--val <val.jsonl>] [--method full|lora] [--epochs 3] [--lr 1e-3 (full), 1e-2 (lora)] [--batch 8] [--row-length 256]
  [--rank 8] [--alpha 16] [--targets q,v] [--threads 2] [--seed 1] [--warmup 0.05] [--eval-every N]
  [--checkpoint <file>] [--checkpoint-every N] [--resume] [--file-type f32|f16] [--name <name>] [--nice 0-19]`;

const SHORT: Record<string, LoraTarget> = { q: "attn_q", k: "attn_k", v: "attn_v", o: "attn_output", gate: "ffn_gate", up: "ffn_up", down: "ffn_down" };

// To the console over IPC while it is there: once it has died, a send (or a write to its pipes)
// would throw on the next tick and kill us before the checkpoint is saved.
function send(message: Record<string, unknown>): void {
  if (process.connected) process.send?.(message);
}
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  send({ type: "error", message });
  process.exit(1);
}

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${v}"`);
  return n;
}

function formatProgress(p: TrainProgress): string {
  const eta = p.etaSeconds >= 90 ? `${Math.round(p.etaSeconds / 60)}m` : `${Math.round(p.etaSeconds)}s`;
  return `step ${p.step}/${p.totalSteps}  epoch ${p.epoch.toFixed(2)}  tokens ${p.tokens}  loss ${p.trainLoss.toFixed(4)}  ` +
    `val ${p.valLoss === null ? "-" : p.valLoss.toFixed(4)}  lr ${p.lr.toExponential(2)}  ${Math.round(p.tokensPerSecond)} tok/s  eta ${eta}`;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        base: { type: "string" }, data: { type: "string" }, val: { type: "string" }, method: { type: "string", default: "full" },
        epochs: { type: "string" }, lr: { type: "string" }, batch: { type: "string" }, "row-length": { type: "string" },
        rank: { type: "string" }, alpha: { type: "string" }, targets: { type: "string" }, threads: { type: "string" },
        seed: { type: "string" }, warmup: { type: "string" }, "eval-every": { type: "string" }, checkpoint: { type: "string" }, "checkpoint-every": { type: "string" },
        resume: { type: "boolean" }, out: { type: "string" }, "file-type": { type: "string", default: "f32" }, name: { type: "string" },
        nice: { type: "string" }, help: { type: "boolean" },
      },
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.base || !values.data || !values.out) fail(`--base, --data and --out are required\n${USAGE}`);
  if (values.method !== "full" && values.method !== "lora") fail(`--method must be full or lora, got "${values.method}"`);
  const fileType = values["file-type"].toUpperCase();
  if (fileType !== "F32" && fileType !== "F16") fail(`--file-type must be f32 or f16`);
  const targets = values.targets?.split(",").map((t) => {
    const name = SHORT[t.trim()] ?? t.trim();
    if (!LORA_TARGETS.includes(name as LoraTarget)) fail(`unknown LoRA target "${t}" (use ${Object.keys(SHORT).join(", ")})`);
    return name as LoraTarget;
  });
  const options: TrainOptions = {
    base: values.base, data: values.data, val: values.val, method: values.method, out: values.out, fileType,
    epochs: num(values.epochs, "epochs"), lr: num(values.lr, "lr"), batch: num(values.batch, "batch"),
    rowLength: num(values["row-length"], "row-length"), rank: num(values.rank, "rank"), alpha: num(values.alpha, "alpha"), targets,
    threads: num(values.threads, "threads"), seed: values.seed === undefined ? undefined : Number(values.seed),
    warmup: values.warmup === undefined ? undefined : Number(values.warmup),
    evalEvery: num(values["eval-every"], "eval-every"), checkpoint: values.checkpoint,
    checkpointEvery: num(values["checkpoint-every"], "checkpoint-every"), resume: values.resume, name: values.name,
  };
  let nice = 0;
  try {
    nice = values.nice === undefined ? 0 : parseNice(values.nice, "--nice");
  } catch (e) {
    fail((e as Error).message);
  }
  // Before the worker threads start: they inherit the main thread's priority (see lib/engine/priority.ts).
  lowerPriority(nice);
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => controller.abort());
  process.on("message", (m: unknown) => {
    if ((m as { type?: string })?.type === "cancel") controller.abort();
  });
  // Started by the console: if it dies (even kill -9) the IPC channel closes; save the checkpoint and stop.
  process.once("disconnect", () => controller.abort());
  let lastPrint = 0;
  const result = await runTraining(options, {
    signal: controller.signal,
    onProgress: (p) => {
      send({ type: "progress", ...p });
      const now = Date.now();
      if (now - lastPrint >= 1000 || p.step === p.totalSteps || p.step === 1) {
        lastPrint = now;
        console.log(formatProgress(p));
      }
    },
  });
  const summary = {
    status: result.status, steps: result.steps, totalSteps: result.totalSteps, tokens: result.tokens, seconds: result.seconds,
    trainLoss: result.trainLoss, valLoss: result.valLoss, tokensPerSecond: result.tokensPerSecond, out: result.out,
    params: countParams(result.cfg),
  };
  send({ type: "done", ...summary });
  if (result.status === "cancelled") {
    console.log(`cancelled at step ${result.steps}/${result.totalSteps}${options.checkpoint ? `; checkpoint in ${options.checkpoint} (rerun with --resume)` : ""}`);
    process.exitCode = 130;
    return;
  }
  console.log(`done: ${result.steps} steps, ${result.tokens} tokens in ${result.seconds.toFixed(1)} s ` +
    `(${Math.round(result.tokensPerSecond)} tok/s), loss ${result.trainLoss.toFixed(4)}` +
    `${result.valLoss === null ? "" : `, val ${result.valLoss.toFixed(4)}`}; wrote ${result.out}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: Error) => fail(e.message),
);
