// `npm start`: refuse a data directory another process owns, make the secret, build when no build
// exists, then serve (Next.js migrates and bootstraps in instrumentation.ts before the first request).
// `npm run dev` does the same with the development server.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { readLockHolder } from "@/db/data-dir-lock";
import { handleShutdownSignals } from "@/lib/bootstrap/shutdown";
import { dataDir, databaseUrl, port, secret } from "@/lib/env";
import { serve } from "./server";

const root = path.resolve(import.meta.dirname, "..", "..");
const nextBin = path.join(root, "node_modules", ".bin", "next");
const dev = process.argv.includes("--dev");
const rebuild = process.argv.includes("--rebuild");

async function main(): Promise<void> {
  const dir = dataDir();
  if (!databaseUrl()) {
    const holder = readLockHolder(dir);
    if (holder !== null) {
      console.error(
        `Kindling is already running on the data directory ${dir} (${holder ? `pid ${holder}` : "pid unknown"}). ` +
          `The embedded database allows one process per directory: stop that one first, ` +
          `set KINDLING_DATA_DIR to another directory, or set DATABASE_URL to share a PostgreSQL server.`,
      );
      process.exit(1);
    }
  }
  secret();

  if (!dev && (rebuild || !existsSync(path.join(root, ".next", "BUILD_ID")))) {
    console.log("[kindling] no build yet: running next build (about a minute)...");
    const build = spawnSync(nextBin, ["build"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) {
      console.error("[kindling] next build failed; see the output above.");
      process.exit(build.status ?? 1);
    }
  }

  process.env.KINDLING_DATA_DIR = dir;
  // Before Next starts: a signal while it prepares still runs the one shutdown and exits 0.
  handleShutdownSignals();
  await serve({ dev, port: port(), hostname: process.env.KINDLING_HOST || undefined });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
