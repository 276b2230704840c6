// The process's one job runner, and how areas hand it their job kinds. Kept on globalThis because
// Next.js loads instrumentation, route handlers and pages as separate module graphs in one process.
import "server-only";
import { getDb } from "@/db/client";
import { JobRunner, type JobHandler, type JobKindOptions } from "./runner";

const holder = globalThis as unknown as { __kindlingJobRunner?: JobRunner };

export function getJobRunner(): JobRunner {
  holder.__kindlingJobRunner ??= new JobRunner({ getDb });
  return holder.__kindlingJobRunner;
}

/** Areas register their kinds at start (from their BackgroundService); the runner claims only registered kinds. */
export function registerJobHandler(kind: string, handler: JobHandler, options?: JobKindOptions): void {
  getJobRunner().register(kind, handler, options);
}

/** Call after enqueueing in this process, so the job starts without waiting for the next poll. */
export function pokeJobRunner(): void {
  getJobRunner().poke();
}
