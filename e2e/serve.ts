// Starts the console for the end-to-end suite: a fresh build (unless E2E_SKIP_BUILD=1) and
// `npm start`'s server on a brand-new data directory, so every run begins at first-run setup.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { writeTestModel } from "@/lib/gguf/test-model";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.E2E_PORT || "3210";
const dataDir = path.join(root, ".data", `e2e-${port}`);
const next = path.join(root, "node_modules", ".bin", "next");

if (process.env.DATABASE_URL) {
  // The suite signs up users and resets its data: it never runs against a configured server.
  console.error("e2e/serve.ts: unset DATABASE_URL; the end-to-end suite uses its own embedded database.");
  process.exit(1);
}

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(path.join(dataDir, "models"), { recursive: true });
// Two tiny random models for the local engine (printable ASCII only): one that ends its turns,
// one that writes until max_tokens, for stopping mid-stream. The starter model is installed too.
await writeTestModel(path.join(dataDir, "models", "tiny-a.gguf"), { seed: 1, allowEnd: true, contextLength: 512 });
await writeTestModel(path.join(dataDir, "models", "tiny-b.gguf"), { seed: 2, contextLength: 4096 });

if (process.env.E2E_SKIP_BUILD !== "1") {
  const build = spawnSync(next, ["build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env: NodeJS.ProcessEnv = { ...process.env, KINDLING_DATA_DIR: dataDir, PORT: port, KINDLING_PUBLIC_URL: `http://127.0.0.1:${port}` };
delete env.KINDLING_ADMIN_EMAIL;
delete env.KINDLING_ADMIN_PASSWORD;
env.KINDLING_HOST = "127.0.0.1";
// The gateway's 504 test waits for this (a model's load is not counted: it happens before the call).
env.KINDLING_FIRST_TOKEN_TIMEOUT_MS = "15000";
// The same start path as `npm start` (it finds the build made above and serves it).
const server = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["lib/start/cli.ts"], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
