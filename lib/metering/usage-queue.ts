// Usage rows are queued in memory and written in batches, so an answer never waits for the
// database. Rows carry a unique request id: a batch that is written twice is harmless.
// The queue flushes on an interval, when it grows large, and on shutdown.
import type { Db } from "@/db/client";
import { usageEvents, type NewUsageEvent } from "@/db/schema";

export interface UsageQueueOptions {
  /** How often pending rows are written. */
  intervalMs?: number;
  /** Rows per INSERT; a full batch is flushed at once. */
  maxBatch?: number;
  /** Rows kept while the database is unreachable; beyond it the oldest are dropped (and logged). */
  maxPending?: number;
}

export class UsageQueue {
  private pending: NewUsageEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(
    private readonly getDb: () => Promise<Db>,
    options: UsageQueueOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 200;
    this.maxPending = options.maxPending ?? 50_000;
  }

  get size(): number {
    return this.pending.length;
  }

  enqueue(row: NewUsageEvent): void {
    this.pending.push(row);
    if (this.pending.length > this.maxPending) {
      const dropped = this.pending.splice(0, this.pending.length - this.maxPending);
      console.error(`[kindling] usage queue full: dropped ${dropped.length} oldest rows`);
    }
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => {});
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Writes everything pending; returns how many rows were sent. Failed batches go back in the queue. */
  flush(): Promise<number> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending.length === 0) return Promise.resolve(0);
    this.flushing = this.writeAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeAll(): Promise<number> {
    let written = 0;
    let db: Db;
    try {
      db = await this.getDb();
    } catch (error) {
      this.schedule();
      throw error;
    }
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        await db.insert(usageEvents).values(batch).onConflictDoNothing({ target: usageEvents.requestId });
        written += batch.length;
      } catch (error) {
        this.pending.unshift(...batch);
        console.error("[kindling] writing usage rows failed; will retry", error);
        this.schedule();
        throw error;
      }
    }
    return written;
  }

  /** Writes pending rows on the interval again (after close(); a new queue starts ready). */
  start(): void {
    if (this.pending.length > 0) this.schedule();
  }

  /** Stops the timer and writes what is left (called on shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
