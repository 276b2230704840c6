// Benchmark: does the console stay responsive while members send hostile JSON schemas (issue 8,
// defect 4)? Starts the built console, then sends distinct slow-to-compile schemas to the playground
// stream (a few at a time) while polling /api/health every 50 ms, and samples the server's RSS.
// Prints /api/health latency (median, p95, max) and RSS before, during and after.
// Usage: npm run bench:hostile-schemas [-- --schemas 40 --concurrency 4 --port 3391]
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { flag, quantile } from "./stats";

const SCHEMAS = flag("schemas", 40);
const CONCURRENCY = flag("concurrency", 4);
const PORT = flag("port", 3391);
const root = path.resolve(import.meta.dirname, "..");
const base = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: "bench@kindling.test", password: "bench-password-1" };

function serverActionId(exportName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === "app/(auth)/actions.ts" && v.exportedName === exportName);
  if (!entry) throw new Error(`no ${exportName} in this build; run npx next build`);
  return entry[0];
}

/** About 30 KB (under the limit) of patterned properties, different each time: seconds of Ajv codegen. */
function hostileSchema(n: number): Record<string, unknown> {
  const properties = Object.fromEntries(Array.from({ length: 420 }, (_, i) => [`f${n}_${i}`, { type: "string", pattern: `^a{${(i % 7) + 1}}$`, minLength: 1 }]));
  return { $id: "https://example.com/same-id-every-time", type: "object", properties, required: Object.keys(properties) };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function health(): Promise<number> {
  const started = performance.now();
  const r = await fetch(`${base}/api/health`);
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`/api/health answered ${r.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No build: run `npx next build` first.");
  const dataDir = await mkdtemp(path.join(tmpdir(), "kindling-bench-schemas-"));
  let server: ChildProcess | null = null;
  try {
    // node directly (not through tsx's wrapper) so the pid sampled is the server's own.
    server = spawn(process.execPath, ["--import", "tsx", "lib/start/cli.ts"], {
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
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error("the console did not start");
      if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const signIn = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Next-Action": serverActionId("signInAction"), Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", origin: base },
      body: JSON.stringify([ADMIN]),
      redirect: "manual",
    });
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    if (!cookie) throw new Error("sign-in set no cookie");

    const idle: number[] = [];
    for (let i = 0; i < 40; i++) {
      idle.push(await health());
      await new Promise((r) => setTimeout(r, 25));
    }
    const rssBefore = rssMb(server.pid!);

    const during: number[] = [];
    const rssSamples: number[] = [];
    let sending = true;
    const poller = (async () => {
      while (sending) {
        during.push(await health());
        rssSamples.push(rssMb(server!.pid!));
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
    const rssAfter = rssMb(server.pid!);

    const row = (name: string, xs: number[]) =>
      `${name.padEnd(28)} n=${String(xs.length).padStart(4)}  median ${quantile(xs, 0.5).toFixed(1)} ms  p95 ${quantile(xs, 0.95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;
    console.log(`hostile schemas: ${SCHEMAS} distinct (~${(JSON.stringify(hostileSchema(0)).length / 1000).toFixed(0)} KB each, same $id), ${CONCURRENCY} at a time, sent in ${sendSeconds.toFixed(1)} s`);
    console.log(`answers: ${[...statuses].map(([s, c]) => `${c} x ${s}`).join(", ")} (404 = schema compiled, then the model was not found)`);
    console.log(row("/api/health idle", idle));
    console.log(row("/api/health during", during));
    console.log(`server RSS: before ${rssBefore.toFixed(0)} MB, peak during ${Math.max(...rssSamples).toFixed(0)} MB, 2 s after ${rssAfter.toFixed(0)} MB`);
    console.log(`load average (1 min) ${loadavg()[0].toFixed(1)}: compare with runs on the same machine only`);
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
