// Benchmark: time to first token seen by a client through the console's streaming route
// (/api/playground/chat: session check, model lookup, provider stream, metering) against the same
// engine called directly, same model and request, alternating in one run. Prints medians, p95s and
// what the console adds. Needs a build (`npm start` or `npx next build` makes one).
// Usage: npm run bench:playground-overhead [-- --requests 60 --tokens 16]
import { mkdir } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { writeTestModel } from "@/lib/gguf/test-model";
import { readEventStream } from "@/lib/http/event-stream";
import { withBenchConsole } from "./console";
import { alternate, flag, quantile } from "./stats";

const REQUESTS = flag("requests", 60);
const TOKENS = flag("tokens", 16);
const PORT = flag("port", 3290);

/** POSTs and returns ms from sending to the first chunk that carries content, read as a client would. */
async function timeToFirstContent(url: string, body: unknown, headers: Record<string, string>, isContent: (data: string) => boolean): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  let first: number | null = null;
  await readEventStream(response.body, (data) => {
    if (first === null && isContent(data)) first = performance.now() - started;
  });
  if (first === null) throw new Error(`${url} streamed no content`);
  return first;
}

async function main(): Promise<void> {
  const prepare = async (dataDir: string) => {
    await mkdir(path.join(dataDir, "models"));
    await writeTestModel(path.join(dataDir, "models", "bench.gguf"), { seed: 3, allowEnd: false, contextLength: 1024 });
  };
  await withBenchConsole({ port: PORT, name: "console", prepare }, async ({ base, cookie }) => {

    const picker = await fetch(`${base}/playground`, { headers: { cookie } }).then((r) => r.text());
    const modelId = /"id":"([^"]+)","displayName":"bench"/.exec(picker.replaceAll('\\"', '"'))?.[1];
    if (!modelId) throw new Error("the bench model is not in the picker");
    const endpoint = (await fetch(`${base}/api/playground/endpoint?modelId=${modelId}`, { headers: { cookie } }).then((r) => r.json())) as {
      providerBaseUrl: string;
    };

    const messages = (i: number) => [{ role: "user", content: `Request ${i}: count the waves.` }];
    const params = { temperature: 0, max_tokens: TOKENS, seed: 1 };
    const viaConsole = (i: number) =>
      timeToFirstContent(`${base}/api/playground/chat`, { modelId, messages: messages(i), params }, { cookie, origin: base }, (d) => d.includes('"type":"delta"'));
    const direct = (i: number) =>
      timeToFirstContent(
        `${endpoint.providerBaseUrl}/chat/completions`,
        { model: "bench", messages: messages(i), ...params, stream: true, stream_options: { include_usage: true } },
        {},
        (d) => d !== "[DONE]" && /"content":"[^"]/.test(d),
      );

    // Warm both paths (engine load, route compilation, grammar and session caches).
    for (let i = 0; i < 5; i++) {
      await direct(-i);
      await viaConsole(-i);
    }
    const [b, a] = await alternate(REQUESTS, viaConsole, direct);
    const diffs = a.map((x, i) => b[i] - x);
    console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores; ${REQUESTS} requests each, ${TOKENS} max tokens`);
    console.log(`direct to the engine   TTFT median ${quantile(a, 0.5).toFixed(2)} ms, p95 ${quantile(a, 0.95).toFixed(2)} ms`);
    console.log(`through the console    TTFT median ${quantile(b, 0.5).toFixed(2)} ms, p95 ${quantile(b, 0.95).toFixed(2)} ms`);
    console.log(`added by the console   median ${(quantile(b, 0.5) - quantile(a, 0.5)).toFixed(2)} ms (target <= 5), p95 ${(quantile(b, 0.95) - quantile(a, 0.95)).toFixed(2)} ms (target <= 15)`);
    console.log(`paired differences     median ${quantile(diffs, 0.5).toFixed(2)} ms, p95 ${quantile(diffs, 0.95).toFixed(2)} ms`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
