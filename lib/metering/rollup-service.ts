// The background service that keeps usage_rollups caught up. Everything it knows is in the database
// (the watermark row), so start() after a restart simply carries on from there.
import "server-only";
import { getDb, type Db } from "@/db/client";
import { processSingleton } from "@/lib/process-singleton";
import { rollUpUsage } from "./rollups";

export class UsageRollupService {
  readonly name = "usage-rollups";
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** Set by stop() so a long catch-up ends between passes instead of holding shutdown. */
  private stopping = false;

  constructor(
    private readonly getDatabase: () => Promise<Db> = getDb,
    private readonly options: { intervalMs?: number; batch?: number } = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Rolls up until caught up; resolves with the rows read. Used by the loop and by tests. */
  async runOnce(): Promise<number> {
    const db = await this.getDatabase();
    const batch = this.options.batch ?? 20_000;
    let total = 0;
    for (;;) {
      const pass = await rollUpUsage(db, { batch });
      total += pass.rows;
      if (pass.rows < batch || this.stopping) return total;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error) => console.error("[kindling] usage rollup pass failed; will retry", error))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.intervalMs ?? 5_000);
        });
    }, delay);
    this.timer.unref();
  }
}


/** The process's one rollup service (listed in lib/bootstrap's services). */
export const usageRollupService: UsageRollupService = processSingleton("kindling.usage-rollups", () => new UsageRollupService());
