// Benchmark: tokens/s and time to first token through the engine's HTTP server against node-llama-cpp
// called directly, same model, prompts and settings, alternating in one run. Prints medians and ratios.
// Usage: npm run bench:engine [-- --rounds 20 --tokens 200 --dim 256 --layers 8 --threads 1]

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama, LlamaCompletion, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import { writeTestModel } from "@/lib/gguf/test-model";
import { alternate, flag } from "./stats";

const ROUNDS = flag("rounds", 20);
const TOKENS = flag("tokens", 200);
const DIM = flag("dim", 256);
const LAYERS = flag("layers", 8);
const THREADS = flag("threads", 1);
const CTX = 2048;
/** An SSE event with text in it (a token's content starts with anything but the closing quote). */
const NON_EMPTY_CONTENT = /"content":"(?!")/;
/** Linux USER_HZ: the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

interface Run {
  ttftMs: number;
  tokensPerSecond: number;
  tokens: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function prompt(round: number): string {
  // A different prompt each round, so both sides evaluate it instead of reusing a cached prefix.
  return `Round ${round}: write a long story about the number ${round * 7919} and the sea.`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kindling-bench-"));
  const modelPath = join(dir, "bench.gguf");
  const { hparams } = await writeTestModel(modelPath, {
    seed: 1,
    embeddingLength: DIM,
    blockCount: LAYERS,
    headCount: DIM / 32,
    feedForwardLength: Math.round((DIM * 8) / 3 / 32) * 32,
    contextLength: CTX,
    fileType: "F16",
  });
  const params =
    hparams.vocabSize * DIM * 2 +
    LAYERS * (2 * DIM * DIM + 2 * DIM * (DIM / hparams.headCount) * hparams.headCountKv + 3 * DIM * hparams.feedForwardLength);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`);
  console.log(`model: dim ${DIM}, ${LAYERS} layers, ${(params / 1e6).toFixed(1)}M params, F16; ${THREADS} thread(s); ${TOKENS} tokens x ${ROUNDS} rounds`);

  const cli = fileURLToPath(new URL("../lib/engine/cli.ts", import.meta.url));
  const root = fileURLToPath(new URL("..", import.meta.url));
  const engine = spawn(process.execPath, ["--import", "tsx", cli, "--model", modelPath, "--port", "0", "--threads", String(THREADS), "--parallel", "1", "--ctx", String(CTX)], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, KINDLING_ENGINE_WATCH_STDIN: "1" },
    // As the manager runs it: its own session, so under Linux autogroup its decode thread does not share
    // a CPU share with this process's HTTP client (the direct decode shares it with nothing either).
    detached: true,
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    engine.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const line = buf.split("\n").find((l) => l.includes('"event"'));
      if (!line) return;
      const ev = JSON.parse(line) as { event: string; port: number; error?: string };
      if (ev.event === "ready") resolve(ev.port);
      else reject(new Error(ev.error));
    });
    engine.on("exit", (code) => reject(new Error(`engine exited with ${code}`)));
  });

  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: CTX, sequences: 1, threads: THREADS });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const wrapper = resolveChatWrapper(model)!;

  async function direct(round: number): Promise<Run> {
    const started = performance.now();
    const state = wrapper.generateContextState({
      chatHistory: [{ type: "user", text: prompt(round) }, { type: "model", response: [] }],
    });
    const tokens = state.contextText.tokenize(model.tokenizer);
    let first = 0;
    let last = 0;
    let count = 0;
    await completion.generateCompletionWithMeta(tokens, {
      maxTokens: TOKENS,
      temperature: 0,
      topK: 0,
      topP: 1,
      minP: 0,
      repeatPenalty: false,
      customStopTriggers: state.stopGenerationTriggers,
      disableContextShift: true,
      contextShiftSize: 1,
      onToken: (t) => {
        count += t.length;
      },
      onTextChunk: () => {
        last = performance.now();
        if (!first) first = last;
      },
    });
    return { ttftMs: first - started, tokensPerSecond: ((count - 1) * 1000) / (last - first), tokens: count };
  }

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  function viaHttp(round: number): Promise<Run> {
    const body = JSON.stringify({
      model: "bench",
      messages: [{ role: "user", content: prompt(round) }],
      max_tokens: TOKENS,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let first = 0;
      let last = 0;
      let buf = "";
      const req = request(
        { host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.setEncoding("utf8");
          res.on("data", (d: string) => {
            // Timestamps only; the JSON is parsed once at the end, to keep the client's CPU use low. A
            // read may hold the role chunk (`"content":""`) and the first token together: look for a
            // content that is not empty, not for a read without an empty one.
            if (NON_EMPTY_CONTENT.test(d)) {
              last = performance.now();
              if (!first) first = last;
            }
            buf += d;
          });
          res.on("end", () => {
            const usage = buf.split("\n\n").map((e) => e.slice(6)).filter((e) => e.includes('"usage"')).map((e) => JSON.parse(e) as { usage: { completion_tokens: number } });
            const tokens = usage[0]?.usage.completion_tokens ?? 0;
            resolve({ ttftMs: first - started, tokensPerSecond: ((tokens - 1) * 1000) / (last - first), tokens });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  // Warm both paths once (first-call costs are not what this measures).
  await direct(-1);
  await viaHttp(-2);
  async function serverTtft(): Promise<{ sum: number; count: number }> {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    return { sum: read("kindling_engine_time_to_first_token_seconds_sum"), count: read("kindling_engine_time_to_first_token_seconds_count") };
  }
  const ttftBefore = await serverTtft();
  // CPU time spent per token, which a busy machine disturbs far less than wall time.
  const cpu = { direct: 0, engine: 0, client: 0 };
  const engineTicks = () => {
    const fields = readFileSync(`/proc/${engine.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const selfCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const timedDirect = async (round: number) => {
    const before = selfCpu();
    const run = await direct(round);
    cpu.direct += selfCpu() - before;
    return run;
  };
  const timedHttp = async (round: number) => {
    const [self, ticks] = [selfCpu(), engineTicks()];
    const run = await viaHttp(round);
    cpu.client += selfCpu() - self;
    cpu.engine += ((engineTicks() - ticks) * 1000) / CLOCK_TICKS;
    return run;
  };
  const [directRuns, httpRuns] = await alternate(ROUNDS, timedDirect, timedHttp);
  const ttftAfter = await serverTtft();
  const serverMeanTtft = ((ttftAfter.sum - ttftBefore.sum) / (ttftAfter.count - ttftBefore.count)) * 1000;
  const d = { tps: median(directRuns.map((r) => r.tokensPerSecond)), ttft: median(directRuns.map((r) => r.ttftMs)) };
  const h = { tps: median(httpRuns.map((r) => r.tokensPerSecond)), ttft: median(httpRuns.map((r) => r.ttftMs)) };
  const pairedTtft = median(httpRuns.map((r, i) => r.ttftMs - directRuns[i].ttftMs));
  const perToken = (ms: number, runs: Run[]) => ((ms * 1000) / runs.reduce((n, r) => n + r.tokens, 0)).toFixed(0);
  console.log(
    `CPU per token (prompt included): direct ${perToken(cpu.direct, directRuns)} us; engine process ${perToken(cpu.engine, httpRuns)} us ` +
      `+ HTTP client ${perToken(cpu.client, httpRuns)} us (engine from /proc at ${CLOCK_TICKS} Hz)`,
  );
  console.log(`tokens per run: direct ${median(directRuns.map((r) => r.tokens))}, http ${median(httpRuns.map((r) => r.tokens))}`);
  console.log(`direct node-llama-cpp: ${d.tps.toFixed(1)} tok/s, TTFT ${d.ttft.toFixed(2)} ms (median)`);
  console.log(`engine over HTTP/SSE : ${h.tps.toFixed(1)} tok/s, TTFT ${h.ttft.toFixed(2)} ms (median)`);
  const quartiles = (xs: number[]) => {
    const q = [...xs].sort((a, b) => a - b);
    return `${q[Math.floor(q.length / 4)].toFixed(2)}..${q[Math.floor((q.length * 3) / 4)].toFixed(2)}`;
  };
  const pairedRatios = httpRuns.map((r, i) => r.tokensPerSecond / directRuns[i].tokensPerSecond);
  console.log(
    `tokens/s ratio (http/direct): ${(h.tps / d.tps).toFixed(3)} of medians; per-round paired ratio median ${median(pairedRatios).toFixed(3)}, ` +
      `quartiles ${quartiles(pairedRatios)}  (target >= 0.95)`,
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const httpMean = mean(httpRuns.map((r) => r.ttftMs));
  const directMean = mean(directRuns.map((r) => r.ttftMs));
  console.log(
    `TTFT means: direct ${directMean.toFixed(2)} ms; engine-side (request received -> first token, /metrics) ${serverMeanTtft.toFixed(2)} ms; ` +
      `client over HTTP ${httpMean.toFixed(2)} ms (transport and wake-ups ${(httpMean - serverMeanTtft).toFixed(2)} ms)`,
  );
  const pairedTtfts = httpRuns.map((r, i) => r.ttftMs - directRuns[i].ttftMs);
  console.log(
    `added TTFT: ${(h.ttft - d.ttft).toFixed(2)} ms difference of medians; per-round paired difference median ${pairedTtft.toFixed(2)} ms, ` +
      `quartiles ${quartiles(pairedTtfts)} ms  (target <= 2 ms)`,
  );

  agent.destroy();
  engine.kill("SIGTERM");
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
}

await main();
