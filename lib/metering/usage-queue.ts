// Usage rows are queued in memory and written in batches, so an answer never waits for the
// database. Rows carry a unique request id: a batch that is written twice is harmless.
// The queue flushes on an interval, when it grows large, and on shutdown.
//
// One bad row never blocks the others. A batch the database refuses for its data (SQLSTATE
// classes 22 and 23) is written row by row; a row whose reference vanished meanwhile (a member
// removed or a price deleted mid-stream) is stored with that reference cleared; a row that still
// cannot be stored is logged whole and dropped. Only an unreachable database keeps rows queued,
// retried with a growing delay and logged once per outage.
import "server-only";
import { getTableColumns, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { usageEvents, type NewUsageEvent } from "@/db/schema";

export interface UsageQueueOptions {
  /** How often pending rows are written. */
  intervalMs?: number;
  /** Rows per INSERT; a full batch is flushed at once. */
  maxBatch?: number;
  /** Rows kept while the database is unreachable; beyond it the oldest are dropped (and logged). */
  maxPending?: number;
  /** Longest delay between retries while the database is unreachable. */
  maxRetryMs?: number;
}

/** The SQLSTATE of a database error, looking through drizzle's wrapper. */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** The database's own words (drizzle's wrapper message repeats the whole query and its values). */
function dbMessage(error: unknown): string {
  for (let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && typeof e.message === "string") return e.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function constraintName(error: unknown): string | undefined {
  for (let e = error as { constraint?: unknown; constraint_name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const name = e.constraint ?? e.constraint_name;
    if (typeof name === "string") return name;
  }
  return undefined;
}

/**
 * The INSERT of a batch: every row goes as one JSON parameter that PostgreSQL expands itself
 * (json_populate_recordset), instead of one bind parameter per column per row. For 200 rows that is
 * 1 parameter instead of 4,000. In a one-off micro-benchmark (20 batches of 200, not kept) the CPU per
 * row went 0.30 -> 0.09 ms on PGlite, which runs in the console's own process, and 0.21-0.31 -> 0.02-0.03
 * ms on the client side of a PostgreSQL server; bench:gateway shows the effect on a whole call.
 * The columns are read from the schema (every one but the serial id), so a new column is covered.
 */
const insertColumns = Object.entries(getTableColumns(usageEvents))
  .filter(([, column]) => column.name !== "id")
  .map(([key, column]) => ({ key: key as keyof NewUsageEvent, name: column.name }));
const columnList = sql.raw(insertColumns.map((c) => `"${c.name}"`).join(", "));

function insertBatch(rows: NewUsageEvent[]) {
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const { key, name } of insertColumns) record[name] = row[key] ?? null;
    return record;
  });
  return sql`insert into ${usageEvents} (${columnList}) select ${columnList} from json_populate_recordset(null::${usageEvents}, ${JSON.stringify(records)}::json) on conflict (request_id) do nothing`;
}

/** Data exceptions and integrity violations: this row is the problem, not the database. */
const isRowError = (code: string | undefined) => !!code && (code.startsWith("22") || code.startsWith("23"));

type ReferenceKey = keyof NewUsageEvent;

/** The row's foreign-key properties, by constraint name (read from the schema, so new ones are covered). */
const references: Map<string, ReferenceKey[]> = (() => {
  const keyByColumn = new Map(Object.entries(getTableColumns(usageEvents)).map(([key, column]) => [column.name, key as ReferenceKey]));
  return new Map(
    getTableConfig(usageEvents).foreignKeys.map((fk) => [fk.getName(), fk.reference().columns.map((c) => keyByColumn.get(c.name)!)]),
  );
})();

export class UsageQueue {
  private pending: NewUsageEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;
  /** Consecutive failed attempts to reach the database (0 when it is fine). */
  private failures = 0;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly maxRetryMs: number;

  constructor(
    private readonly getDb: () => Promise<Db>,
    options: UsageQueueOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 200;
    this.maxPending = options.maxPending ?? 50_000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
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
    if (this.pending.length >= this.maxBatch && this.failures === 0) void this.flush().catch(() => {});
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const delay = Math.min(this.intervalMs * 2 ** this.failures, Math.max(this.maxRetryMs, this.intervalMs));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => {});
    }, delay);
    this.timer.unref();
  }

  /** Writes everything pending; returns how many rows were stored. Rejects only when the database cannot be reached. */
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
    try {
      const db = await this.getDb();
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          written += await this.insert(db, batch);
        } catch (error) {
          if (!isRowError(sqlState(error))) {
            this.pending.unshift(...batch);
            throw error;
          }
          written += await this.writeEach(db, batch);
        }
      }
    } catch (error) {
      this.unreachable(error);
      throw error;
    }
    if (this.failures > 0) console.log(`[kindling] usage rows are being written again`);
    this.failures = 0;
    return written;
  }

  private async insert(db: Db, rows: NewUsageEvent[]): Promise<number> {
    await db.execute(insertBatch(rows));
    return rows.length;
  }

  /** Writes rows one at a time after their batch was refused; on an outage the unwritten go back in the queue. */
  private async writeEach(db: Db, rows: NewUsageEvent[]): Promise<number> {
    let written = 0;
    for (let i = 0; i < rows.length; i++) {
      let row = rows[i];
      const cleared: string[] = [];
      for (;;) {
        try {
          written += await this.insert(db, [row]);
          break;
        } catch (error) {
          const code = sqlState(error);
          if (!isRowError(code)) {
            this.pending.unshift(...rows.slice(i));
            throw error;
          }
          const keys = code === "23503" ? this.vanishedReference(row, error) : [];
          if (keys.length > 0) {
            row = { ...row, ...Object.fromEntries(keys.map((k) => [k, null])) };
            cleared.push(...keys);
            continue;
          }
          console.error(`[kindling] a usage row cannot be stored and was dropped (${dbMessage(error)}): ${JSON.stringify(rows[i])}`);
          break;
        }
      }
      if (cleared.length > 0) {
        console.warn(`[kindling] usage row ${row.requestId}: ${cleared.join(", ")} no longer exist${cleared.length === 1 ? "s" : ""}; stored without ${cleared.length === 1 ? "it" : "them"}`);
      }
    }
    return written;
  }

  /** The properties of `row` that the violated foreign key names (all set ones when it cannot tell). */
  private vanishedReference(row: NewUsageEvent, error: unknown): ReferenceKey[] {
    const named = references.get(constraintName(error) ?? "");
    const candidates = named ?? [...references.values()].flat();
    return candidates.filter((k) => row[k] !== null && row[k] !== undefined);
  }

  private unreachable(error: unknown): void {
    this.failures++;
    // Once per outage: a database that is down for an hour must not fill the log.
    if (this.failures === 1) {
      console.error(`[kindling] writing usage rows failed (${dbMessage(error)}); ${this.pending.length} rows kept, retrying with a growing delay`);
    }
    this.schedule();
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
