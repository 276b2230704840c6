// The process's one job runner, and how areas hand it their job kinds.
import "server-only";
import { getDb } from "@/db/client";
import { processSingleton } from "@/lib/process-singleton";
import { JobRunner, type JobHandler, type JobKindOptions } from "./runner";

export function getJobRunner(): JobRunner {
  return processSingleton("kindling.job-runner", () => new JobRunner({ getDb }));
}

/** Areas register their kinds at start (from their BackgroundService); the runner claims only registered kinds. */
export function registerJobHandler(kind: string, handler: JobHandler, options?: JobKindOptions): void {
  getJobRunner().register(kind, handler, options);
}

/** Call after enqueueing in this process, so the job starts without waiting for the next poll. */
export function pokeJobRunner(): void {
  getJobRunner().poke();
}
