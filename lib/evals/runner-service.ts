// Picks up queued eval runs, and runs left "running" by a previous process, and runs them here.
// State is in the database (runs and their stored results), so a restart resumes every run.
import "server-only";
import { inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { evalRuns } from "@/db/schema";
import { processSingleton } from "@/lib/process-singleton";
import { evalModelCaller } from "./call-model";
import { runEval } from "./runner";

export class EvalRunnerService {
  readonly name = "eval-runner";
  private active = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly getDatabase: () => Promise<Db> = getDb,
    private readonly intervalMs = 2_000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.active.values()) c.abort();
    while (this.active.size) await new Promise((r) => setTimeout(r, 20));
  }

  /** Looks for work now (called after a run is created, so it does not wait for the next poll). */
  async kick(): Promise<void> {
    if (!this.stopped) await this.poll();
  }

  private async poll(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      const db = await this.getDatabase();
      const runs = await db.select({ id: evalRuns.id, createdBy: evalRuns.createdBy }).from(evalRuns).where(inArray(evalRuns.status, ["queued", "running"]));
      for (const run of runs) {
        if (this.active.has(run.id) || this.stopped) continue;
        const controller = new AbortController();
        this.active.set(run.id, controller);
        void runEval(db, run.id, evalModelCaller(db, run.createdBy), { signal: controller.signal })
          .catch((error) => console.error(`[kindling] eval run ${run.id} failed`, error))
          .finally(() => this.active.delete(run.id));
      }
    } catch (error) {
      console.error("[kindling] looking for eval runs failed; will retry", error);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.poll(), this.intervalMs);
      this.timer.unref();
    }
  }
}

export const evalRunnerService: EvalRunnerService = processSingleton("kindling.eval-runner", () => new EvalRunnerService());
