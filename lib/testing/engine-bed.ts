// What the deployments tests that run real engines share: a models directory, a test database with the
// local provider on it, an engine manager, and (when asked) the process's usage queue writing there.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { EngineManager } from "@/lib/engine/manager";
import { UsageQueue } from "@/lib/metering/usage-queue";
import { processSingleton } from "@/lib/process-singleton";
import { initLocalProvider } from "@/lib/providers/local";

export interface EngineBed {
  /** The models directory. */
  dir: string;
  ctx: { db: TestDatabase["db"]; modelsDir: string };
  engines: EngineManager;
  /** Writes the usage rows of the calls made so far (a no-op without `usage: true`). */
  flushUsage(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `models(dir)` writes the GGUF files before the catalogue is synced; `starter: false` leaves the bundled
 * starter model out; `usage: true` points the process's usage queue at this database.
 */
export async function openEngineBed(
  prefix: string,
  { models, starter = true, usage = false }: { models?: (dir: string) => Promise<unknown>; starter?: boolean; usage?: boolean } = {},
): Promise<EngineBed> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await models?.(dir);
  const handle = await openTestDatabase();
  const ctx = { db: handle.db, modelsDir: dir };
  const queue = usage ? processSingleton("kindling.usage-queue", () => new UsageQueue(async () => handle.db)) : null;
  await initLocalProvider(ctx.db, starter ? { dir } : { dir, starter: path.join(dir, "none.gguf") });
  const engines = new EngineManager({ restartBackoffMs: 200, healthIntervalMs: 0 });
  return {
    dir,
    ctx,
    engines,
    flushUsage: async () => {
      await queue?.flush();
    },
    close: async () => {
      await queue?.flush().catch(() => {});
      await engines.dispose();
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
