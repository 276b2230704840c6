// Benchmark: does the console stay responsive while members send hostile JSON schemas (issue 8,
// defect 4)? Starts the built console, then sends distinct slow-to-compile schemas to the playground
// stream (a few at a time) while polling /api/health every 50 ms, and samples the server's RSS.
// Prints /api/health latency (median, p95, max) and RSS before, during and after.
// Usage: npm run bench:hostile-schemas [-- --schemas 40 --concurrency 4 --port 3391]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { withBenchConsole } from "./console";
import { flag, quantile } from "./stats";

const SCHEMAS = flag("schemas", 40);
const CONCURRENCY = flag("concurrency", 4);
const PORT = flag("port", 3391);

/** About 30 KB (under the limit) of patterned properties, different each time: seconds of Ajv codegen. */
function hostileSchema(n: number): Record<string, unknown> {
  const properties = Object.fromEntries(Array.from({ length: 420 }, (_, i) => [`f${n}_${i}`, { type: "string", pattern: `^a{${(i % 7) + 1}}$`, minLength: 1 }]));
  return { $id: "https://example.com/same-id-every-time", type: "object", properties, required: Object.keys(properties) };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function health(base: string): Promise<number> {
  const started = performance.now();
  const r = await fetch(`${base}/api/health`);
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`/api/health answered ${r.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  await withBenchConsole({ port: PORT, name: "schemas" }, async ({ base, cookie, pid }) => {

    const idle: number[] = [];
    for (let i = 0; i < 40; i++) {
      idle.push(await health(base));
      await new Promise((r) => setTimeout(r, 25));
    }
    const rssBefore = rssMb(pid);

    const during: number[] = [];
    const rssSamples: number[] = [];
    let sending = true;
    const poller = (async () => {
      while (sending) {
        during.push(await health(base));
        rssSamples.push(rssMb(pid));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const statuses = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SCHEMAS) {
          const n = next++;
          const r = await fetch(`${base}/api/playground/chat`, {
            method: "POST",
            headers: { "content-type": "application/json", cookie, origin: base },
            body: JSON.stringify({
              modelId: "no-such-model",
              messages: [{ role: "user", content: "hi" }],
              params: { response_format: { type: "json_schema", json_schema: { name: "x", schema: hostileSchema(n) } } },
            }),
          });
          await r.arrayBuffer();
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }),
    );
    const sendSeconds = (performance.now() - started) / 1000;
    sending = false;
    await poller;
    global.gc?.();
    await new Promise((r) => setTimeout(r, 2000));
    const rssAfter = rssMb(pid);

    const row = (name: string, xs: number[]) =>
      `${name.padEnd(28)} n=${String(xs.length).padStart(4)}  median ${quantile(xs, 0.5).toFixed(1)} ms  p95 ${quantile(xs, 0.95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;
    console.log(`hostile schemas: ${SCHEMAS} distinct (~${(JSON.stringify(hostileSchema(0)).length / 1000).toFixed(0)} KB each, same $id), ${CONCURRENCY} at a time, sent in ${sendSeconds.toFixed(1)} s`);
    console.log(`answers: ${[...statuses].map(([s, c]) => `${c} x ${s}`).join(", ")} (404 = schema compiled, then the model was not found)`);
    console.log(row("/api/health idle", idle));
    console.log(row("/api/health during", during));
    console.log(`server RSS: before ${rssBefore.toFixed(0)} MB, peak during ${Math.max(...rssSamples).toFixed(0)} MB, 2 s after ${rssAfter.toFixed(0)} MB`);
    console.log(`load average (1 min) ${loadavg()[0].toFixed(1)}: compare with runs on the same machine only`);
  });
}

await main();
