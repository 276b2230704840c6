// Fine-tuning through the console's queue against `npm run train` on the same data and settings, in
// one run: the trainer's tokens/s in each (its own clock, from the first step to the last), the
// tokens/s from "launch" to the written model, and the time from launch to the first loss point.
// The job is launched with POST /v1/fine_tuning/jobs; the CLI gets the job trainer's own arguments
// (read from its command line), so both train the same rows with the same checkpoints.
// Usage: npm run bench:fine-tune [-- --rounds 2 --lines 400 --epochs 1 --port 3393]
// Figures only, no pass/fail: on a shared machine they move with the load (printed alongside).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { readLockHolder } from "@/db/data-dir-lock";
import { root, startBenchConsole, type BenchConsole } from "./console";
import { flag } from "./stats";

const rounds = flag("rounds", 2);
const lines = flag("lines", 400);
const epochs = flag("epochs", 1);
const port = flag("port", 3393);
const KEY = `kdl_${"bench-fine-tune-key-".repeat(3).slice(0, 43)}`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) a process has used itself, and its children that ended, from /proc. */
function cpuSeconds(pid: number): { own: number; children: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return { own: (Number(fields[11]) + Number(fields[12])) / 100, children: (Number(fields[13]) + Number(fields[14])) / 100 };
}

interface Run {
  /** The trainer's own tokens/s (its loop only). */
  loop: number;
  /** Trained tokens over the time from launch to the written model. */
  wall: number;
  firstPointSeconds: number;
  tokens: number;
  /** Tokens per CPU-second of the trainer process (with npm and tsx for the CLI): what other load moves least. */
  perCpu: number;
  /** For the queue: the console's own CPU use while the job ran, in cores. */
  consoleCores?: number;
}

/** The trainer process's arguments after `lib/training/cli.ts`, while the job runs. */
function trainerArgsOf(jobId: string): string[] | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      const at = cmd.findIndex((a) => a.endsWith("lib/training/cli.ts"));
      if (at >= 0 && cmd.some((a) => a.includes(jobId))) return cmd.slice(at + 1);
    } catch {
      // gone while we looked
    }
  }
  return null;
}

async function viaQueue(c: BenchConsole, trainingFile: string, consolePid: number): Promise<Run & { args: string[] | null }> {
  const cpu0 = cpuSeconds(consolePid);
  const launched = performance.now();
  const created = await fetch(`${c.base}/v1/fine_tuning/jobs`, {
    method: "POST",
    headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "kindling-starter", training_file: trainingFile, seed: 1, hyperparameters: { n_epochs: epochs } }),
  });
  if (!created.ok) throw new Error(`creating the job failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  let firstPoint = 0;
  let args: string[] | null = null;
  for (;;) {
    const { job } = (await (await fetch(`${c.base}/api/fine-tuning/jobs/${id}`, { headers: { cookie: c.cookie } })).json()) as {
      job: { status: string; error: string | null; progress: { step: number } | null; result: { tokens: number; tokensPerSecond: number } | null };
    };
    args ??= trainerArgsOf(id);
    if (!firstPoint && job.progress && job.progress.step >= 1) firstPoint = performance.now();
    if (job.status === "succeeded") {
      const r = job.result!;
      const seconds = (performance.now() - launched) / 1000;
      const cpu1 = cpuSeconds(consolePid);
      return {
        loop: r.tokensPerSecond,
        wall: r.tokens / seconds,
        firstPointSeconds: (firstPoint - launched) / 1000,
        tokens: r.tokens,
        // The trainer is the console's child: its CPU time joins the console's children's once it has exited.
        perCpu: r.tokens / (cpu1.children - cpu0.children),
        consoleCores: (cpu1.own - cpu0.own) / seconds,
        args,
      };
    }
    if (job.status === "failed" || job.status === "cancelled") throw new Error(`the job ${job.status}: ${job.error}`);
    // Quick until the first loss point (that is the figure), then as the job page polls: every second.
    await sleep(firstPoint ? 1000 : 100);
  }
}

async function viaCli(args: string[], dir: string): Promise<Run> {
  // Its own checkpoint and output, otherwise the job's own arguments.
  const own = [...args];
  own[own.indexOf("--checkpoint") + 1] = path.join(dir, "cli.ckpt");
  own[own.indexOf("--out") + 1] = path.join(dir, "cli.gguf");
  rmSync(path.join(dir, "cli.ckpt"), { force: true });
  const cpu0 = cpuSeconds(process.pid).children;
  const started = performance.now();
  const child = spawn("npm", ["run", "--silent", "train", "--", ...own], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let firstPoint = 0;
  child.stdout.on("data", (d: Buffer) => {
    out += d;
    if (!firstPoint && /step 1\//.test(out)) firstPoint = performance.now();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const elapsed = (performance.now() - started) / 1000;
  const done = /done: \d+ steps, (\d+) tokens in [\d.]+ s \((\d+) tok\/s\)/.exec(out);
  if (code !== 0 || !done) throw new Error(`npm run train exited with ${code}:\n${out.slice(-500)}`);
  const tokens = Number(done[1]);
  const cpu = cpuSeconds(process.pid).children - cpu0;
  return { loop: Number(done[2]), wall: tokens / elapsed, firstPointSeconds: (firstPoint - started) / 1000, tokens, perCpu: tokens / cpu };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "kindling-bench-ft-"));
  const dataDir = path.join(dir, "data");
  const c = await startBenchConsole({ port, dataDir, env: { KINDLING_INIT_API_KEY: KEY } });
  try {
    // The server process itself (it holds the data directory's lock), not the tsx wrapper.
    const consolePid = readLockHolder(dataDir);
    if (!consolePid) throw new Error("could not find the console's process");
    const sample = readFileSync(path.join(root, "assets", "starter", "finetune-csv.train.jsonl"), "utf8").trim().split("\n");
    const form = new FormData();
    form.append("purpose", "fine-tune");
    form.append("file", new Blob([`${sample.slice(0, lines).join("\n")}\n`]), "bench.jsonl");
    const uploaded = await fetch(`${c.base}/v1/files`, { method: "POST", headers: { Authorization: `Bearer ${KEY}` }, body: form });
    if (!uploaded.ok) throw new Error(`the upload failed: ${uploaded.status} ${await uploaded.text()}`);
    const trainingFile = ((await uploaded.json()) as { id: string }).id;
    console.log(`fine-tune bench: kindling-starter, ${lines} examples of the sample, ${epochs} epoch(s), ${rounds} rounds (queue and CLI in turn)`);

    const queue: Run[] = [];
    const cli: Run[] = [];
    let args: string[] | null = null;
    const show = (name: string, r: Run) =>
      console.log(`  ${name.padEnd(6)} trainer ${r.loop.toFixed(0).padStart(5)} tok/s  launch->model ${r.wall.toFixed(0).padStart(5)} tok/s  launch->first loss ${r.firstPointSeconds.toFixed(2)} s  ${r.perCpu.toFixed(0).padStart(5)} tok/CPU-s  (${r.tokens} tokens${r.consoleCores === undefined ? "" : `, console ${r.consoleCores.toFixed(2)} cores`}, load ${load()})`);
    for (let round = 1; round <= rounds; round++) {
      console.log(`round ${round}`);
      // The queue first in odd rounds (the first also finds the trainer's arguments), the CLI first in even ones.
      const order = round % 2 === 1 || !args ? ["queue", "cli"] : ["cli", "queue"];
      for (const which of order) {
        if (which === "queue") {
          const r = await viaQueue(c, trainingFile, consolePid);
          args ??= r.args;
          queue.push(r);
          show("queue", r);
        } else {
          if (!args) throw new Error("the trainer's arguments were not seen while the job ran");
          const r = await viaCli(args, dir);
          cli.push(r);
          show("cli", r);
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = (pick: (r: Run) => number) => queue.map((q, i) => pick(q) / pick(cli[i]));
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(", ");
    console.log(`queue/cli trainer tok/s per round: ${fmt(ratio((r) => r.loop))} (median ${median(ratio((r) => r.loop)).toFixed(3)}; target >= 0.95)`);
    console.log(`queue/cli tokens per trainer CPU-second per round: ${fmt(ratio((r) => r.perCpu))} (median ${median(ratio((r) => r.perCpu)).toFixed(3)})`);
    console.log(`queue/cli launch->model tok/s per round: ${fmt(ratio((r) => r.wall))} (median ${median(ratio((r) => r.wall)).toFixed(3)})`);
    console.log(`launch -> first loss point: queue ${fmt(queue.map((r) => r.firstPointSeconds))} s; npm run train ${fmt(cli.map((r) => r.firstPointSeconds))} s`);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
