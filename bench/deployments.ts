// Benchmark of deployments, in one run against a console it starts on a fresh data directory, all
// traffic through the /v1 gateway (plain keep-alive HTTP streams, see stream()), on the starter model:
// 1. Throughput at saturation: the same streams against a deployment of 1 replica and one of 2,
//    in alternating phases (1, 2, 1, 2, ...), so machine load hits both alike; the ratio per pair.
// 2. A replica killed with SIGKILL under that load: requests failed before their first token
//    (target 0: the gateway retries them on the other replica) and after it.
// 3. Cold start: a deployment scaled to zero, one request, time to its first token (target <= 2 s).
// Needs a build (`npx next build`). Usage: npm run bench:deployments [-- --concurrency 16 --phase 15 --pairs 3 --cold 3 --port 3570]
import { randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { cpus, loadavg } from "node:os";
import { treeCpuSeconds, withBenchConsole } from "./console";
import { flag, quantile } from "./stats";

const CONCURRENCY = flag("concurrency", 16);
const PHASE_S = flag("phase", 15);
const PAIRS = flag("pairs", 3);
const COLD = flag("cold", 3);
const MAX_TOKENS = flag("max-tokens", 64);
const PORT = flag("port", 3570);
const API_KEY = `kdl_${randomBytes(32).toString("base64url")}`;
const STARTER = "kindling-starter";
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
let gatewayUrl = new URL("http://127.0.0.1");
/** CPU seconds so far: the console (engines excluded), its engine processes, and this process. */
let sampleCpu = () => ({ console: 0, engines: 0, bench: 0 });
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

interface Outcome {
  ok: boolean;
  /** Whether a content chunk had arrived when it ended. */
  started: boolean;
  tokens: number;
  ttftMs: number | null;
  error?: string;
}

/**
 * One streamed chat request through the gateway, over a keep-alive node:http socket and a light
 * scan of the SSE text. Not the official client: its CPU per chunk would take a share of the two
 * cores from the replicas being measured (a deployment's clients run elsewhere). The official
 * client is used against deployments in e2e/deployments.spec.ts and bench:gateway.
 */
function stream(model: string, i: number): Promise<Outcome> {
  const t0 = performance.now();
  const body = JSON.stringify({
    model,
    // The starter's longest answer (about 40 tokens of JSON), so decoding, not request overhead, dominates.
    messages: [{ role: "user", content: `Extract the name, city and age as JSON: Maria is ${20 + (i % 60)} and lives in Lisbon.` }],
    max_tokens: MAX_TOKENS,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  return new Promise((resolve) => {
    let started = false;
    let ttftMs: number | null = null;
    let tail = "";
    const fail = (error: string) => resolve({ ok: false, started, tokens: 0, ttftMs, error });
    const req = httpRequest(
      { agent, host: gatewayUrl.hostname, port: gatewayUrl.port, path: "/v1/chat/completions", method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (text: string) => {
          // A content delta that is not the empty opening one: `"content":"` followed by a character.
          if (!started && /"content":"[^"]/.test(text)) {
            started = true;
            ttftMs = performance.now() - t0;
          }
          tail = (tail + text).slice(-4096);
        });
        res.on("end", () => {
          if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}: ${tail.slice(0, 200)}`);
          const error = /data: (\{"error".*)\n/.exec(tail);
          if (error) return fail(error[1].slice(0, 200));
          const usage = /"usage":\{"prompt_tokens":\d+,"completion_tokens":(\d+)/.exec(tail);
          if (!usage || !tail.includes("data: [DONE]")) return fail("the stream ended without usage and [DONE]");
          resolve({ ok: true, started, tokens: Number(usage[1]), ttftMs });
        });
        res.on("error", (e) => fail(e.message));
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error("no answer in 120 s")));
    req.on("error", (e) => fail(e.message));
    req.end(body);
  });
}

/** `CONCURRENCY` loops of streams against `model` for `seconds`; `during` runs alongside. */
async function saturate(model: string, seconds: number, during?: () => Promise<void>) {
  const outcomes: Outcome[] = [];
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let i = 0;
  const cpu0 = sampleCpu();
  await Promise.all([
    ...Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) outcomes.push(await stream(model, i++));
    }),
    during?.(),
  ]);
  const elapsed = (performance.now() - t0) / 1000;
  const tokens = outcomes.reduce((n, o) => n + o.tokens, 0);
  const cpu1 = sampleCpu();
  // Cores busy on average: where the two cores went during the phase.
  const cores = `cores busy: replicas ${((cpu1.engines - cpu0.engines) / elapsed).toFixed(2)}, console ${((cpu1.console - cpu0.console) / elapsed).toFixed(2)}, load generator ${((cpu1.bench - cpu0.bench) / elapsed).toFixed(2)}`;
  return { outcomes, elapsed, cores, tokensPerS: tokens / elapsed, requestsPerS: outcomes.filter((o) => o.ok).length / elapsed };
}

async function main(): Promise<void> {
  await withBenchConsole({ port: PORT, name: "deployments", env: { KINDLING_INIT_API_KEY: API_KEY } }, async (server) => {
    const { base } = server;
    const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
      const r = await fetch(`${base}/api/v1/deployments${p}`, {
        method,
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await r.json()) as T;
      if (!r.ok) throw new Error(`${method} /api/v1/deployments${p}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    type Dep = { state: string; ready_replicas: number; desired_replicas: number; replicas: { id: string; pid: number | null; state: string; restarts: number }[] };
    const get = (name: string) => api<Dep>("GET", `/${name}`);
    const waitFor = async (what: string, fn: (d: Dep) => boolean, name: string, timeoutMs = 300_000): Promise<Dep> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const d = await get(name);
        if (fn(d)) return d;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(d)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const engine = { threads: 1, parallel: 4 };
    await api("POST", "", { name: "bench-one", model: STARTER, min_replicas: 1, max_replicas: 1, engine });
    await api("POST", "", { name: "bench-two", model: STARTER, min_replicas: 2, max_replicas: 2, engine });
    await api("POST", "", { name: "bench-zero", model: STARTER, min_replicas: 0, max_replicas: 1, scale_to_zero_after_s: 10, engine });
    await waitFor("bench-one ready", (d) => d.state === "ready" && d.ready_replicas === 1, "bench-one");
    await waitFor("bench-two ready", (d) => d.state === "ready" && d.ready_replicas === 2, "bench-two");
    gatewayUrl = new URL(base);
    const consolePid = server.pid;
    sampleCpu = () => {
      const all = treeCpuSeconds(consolePid);
      const own = server.cpuSeconds();
      const { user, system } = process.cpuUsage();
      return { console: own, engines: all - own, bench: (user + system) / 1e6 };
    };
    console.log(`starter model, ${engine.threads} thread and ${engine.parallel} parallel sequences per replica, ${CONCURRENCY} concurrent streams (JSON answers of about 40 tokens, at most ${MAX_TOKENS}), ${cpus().length} cores`);

    // 1. Throughput, alternating phases.
    await saturate("bench-one", 3);
    await saturate("bench-two", 3);
    const ratios: number[] = [];
    for (let p = 0; p < PAIRS; p++) {
      const one = await saturate("bench-one", PHASE_S);
      const two = await saturate("bench-two", PHASE_S);
      const failures = [...one.outcomes.map((o) => ({ ...o, on: "1 replica" })), ...two.outcomes.map((o) => ({ ...o, on: "2 replicas" }))].filter((o) => !o.ok);
      const failed = failures.length;
      ratios.push(two.tokensPerS / one.tokensPerS);
      console.log(
        `pair ${p + 1}: 1 replica ${one.tokensPerS.toFixed(0)} tok/s (${one.requestsPerS.toFixed(1)} req/s), 2 replicas ${two.tokensPerS.toFixed(0)} tok/s (${two.requestsPerS.toFixed(1)} req/s): ` +
          `${ratios[p].toFixed(2)}x, ${failed} failed; load average ${load()}`,
      );
      console.log(`  1 replica ${one.cores}; 2 replicas ${two.cores}`);
      for (const o of failures.slice(0, 3)) console.log(`  failed on ${o.on}${o.started ? " after its first token" : ""}: ${o.error}`);
    }
    console.log(`throughput 2 replicas / 1: median ${quantile(ratios, 0.5).toFixed(2)}x, range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x (target >= 1.7)`);

    // 2. kill -9 one replica of bench-two under the same load.
    const before = await get("bench-two");
    const victim = before.replicas.find((r) => r.state === "ready" && r.pid)!;
    const killed = await saturate("bench-two", PHASE_S, async () => {
      await new Promise((r) => setTimeout(r, 3_000));
      process.kill(victim.pid!, "SIGKILL");
    });
    const failedBefore = killed.outcomes.filter((o) => !o.ok && !o.started);
    const failedAfter = killed.outcomes.filter((o) => !o.ok && o.started);
    console.log(
      `kill -9 of replica pid ${victim.pid} under load: ${killed.outcomes.length} requests, ${failedBefore.length} failed before their first token (target 0), ` +
        `${failedAfter.length} cut after it; load average ${load()}`,
    );
    for (const o of [...failedBefore, ...failedAfter].slice(0, 3)) console.log(`  failed: ${o.error}`);
    const back = await waitFor("the killed replica back", (d) => d.ready_replicas === 2, "bench-two");
    console.log(`  replaced: restarts ${back.replicas.map((r) => r.restarts).join(", ")}`);

    // 3. Cold starts from zero.
    const colds: number[] = [];
    for (let c = 0; c < COLD; c++) {
      await waitFor("bench-zero at zero", (d) => d.desired_replicas === 0 && d.replicas.length === 0, "bench-zero", 120_000);
      const o = await stream("bench-zero", c);
      if (!o.ok || o.ttftMs === null) throw new Error(`the cold request failed: ${o.error}`);
      colds.push(o.ttftMs);
      console.log(`cold start ${c + 1}: first token after ${(o.ttftMs / 1000).toFixed(2)} s (target <= 2); load average ${load()}`);
    }
    const events = await api<{ data: { kind: string; message: string }[] }>("GET", "/bench-zero/events?limit=100");
    for (const e of events.data.filter((x) => x.kind === "cold_start").slice(0, COLD)) console.log(`  event: ${e.message}`);
    console.log(`cold start to first token: median ${(quantile(colds, 0.5) / 1000).toFixed(2)} s, range ${(Math.min(...colds) / 1000).toFixed(2)}-${(Math.max(...colds) / 1000).toFixed(2)} s`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
