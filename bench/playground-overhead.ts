// Benchmark: time to first token seen by a client through the console's streaming route
// (/api/playground/chat: session check, model lookup, provider stream, metering) against the same
// engine called directly, same model and request, alternating in one run. Prints medians, p95s and
// what the console adds. Needs a build (`npm start` or `npx next build` makes one).
// Usage: npm run bench:playground-overhead [-- --requests 60 --tokens 16]
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createParser } from "eventsource-parser";
import { writeTestModel } from "@/lib/gguf/test-model";
import { flag, quantile } from "./stats";

const REQUESTS = flag("requests", 60);
const TOKENS = flag("tokens", 16);
const PORT = flag("port", 3290);
const root = path.resolve(import.meta.dirname, "..");
const base = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: "bench@kindling.test", password: "bench-password-1" };

/** POSTs and returns ms from sending to the first chunk that carries content, read as a client would. */
async function timeToFirstContent(url: string, body: unknown, headers: Record<string, string>, isContent: (data: string) => boolean): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  let first: number | null = null;
  const parser = createParser({
    onEvent: (e) => {
      if (first === null && isContent(e.data)) first = performance.now() - started;
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (first === null) throw new Error(`${url} streamed no content`);
  return first;
}

function serverActionId(exportName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === "app/(auth)/actions.ts" && v.exportedName === exportName);
  if (!entry) throw new Error(`no ${exportName} in this build; run npx next build`);
  return entry[0];
}

async function waitHealthy(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const r = await fetch(`${base}/api/health`).catch(() => null);
    if (r?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the console did not start");
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No build: run `npx next build` first.");
  const dataDir = await mkdtemp(path.join(tmpdir(), "kindling-bench-console-"));
  await mkdir(path.join(dataDir, "models"));
  await writeTestModel(path.join(dataDir, "models", "bench.gguf"), { seed: 3, allowEnd: false, contextLength: 1024 });
  let server: ChildProcess | null = null;
  try {
    server = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["lib/start/cli.ts"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        KINDLING_DATA_DIR: dataDir,
        PORT: String(PORT),
        KINDLING_HOST: "127.0.0.1",
        KINDLING_PUBLIC_URL: base,
        KINDLING_ADMIN_EMAIL: ADMIN.email,
        KINDLING_ADMIN_PASSWORD: ADMIN.password,
        DATABASE_URL: "",
      },
    });
    await waitHealthy();

    // Sign in through the same server action the sign-in page uses, and keep the session cookie.
    const signIn = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Next-Action": serverActionId("signInAction"), Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify([ADMIN]),
      redirect: "manual",
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (!cookie) throw new Error("sign-in set no cookie");

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
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      // Alternate which goes first, so drift on a shared machine hits both alike.
      if (i % 2) {
        a.push(await direct(i));
        b.push(await viaConsole(i));
      } else {
        b.push(await viaConsole(i));
        a.push(await direct(i));
      }
    }
    const diffs = a.map((x, i) => b[i] - x);
    console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores; ${REQUESTS} requests each, ${TOKENS} max tokens`);
    console.log(`direct to the engine   TTFT median ${quantile(a, 0.5).toFixed(2)} ms, p95 ${quantile(a, 0.95).toFixed(2)} ms`);
    console.log(`through the console    TTFT median ${quantile(b, 0.5).toFixed(2)} ms, p95 ${quantile(b, 0.95).toFixed(2)} ms`);
    console.log(`added by the console   median ${(quantile(b, 0.5) - quantile(a, 0.5)).toFixed(2)} ms (target <= 5), p95 ${(quantile(b, 0.95) - quantile(a, 0.95)).toFixed(2)} ms (target <= 15)`);
    console.log(`paired differences     median ${quantile(diffs, 0.5).toFixed(2)} ms, p95 ${quantile(diffs, 0.95).toFixed(2)} ms`);
  } finally {
    server?.kill("SIGTERM");
    await new Promise((resolve) => server?.once("exit", resolve) ?? resolve(null));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
