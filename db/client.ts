// The only place that opens a database connection: embedded PGlite under the data directory by
// default, or a PostgreSQL server through postgres.js when DATABASE_URL is set.
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import { acquireDataDirLock } from "./data-dir-lock";
import { processSingleton } from "@/lib/process-singleton";
import { MIGRATION_LOCK_KEY, runMigrations } from "./migrate";
import { makeDataDirPrivate } from "./private-files";
import { dataDir, databaseUrl } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "pglite" | "postgres";
/** A transaction handle or the database itself: lib functions accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /**
   * Runs `fn` while no other console instance on this database runs its own `exclusive` work
   * (a PostgreSQL advisory lock, the one migrations take; PGlite has one process by construction).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number }
  /** `dir` undefined means in memory (tests). */
  | { kind: "pglite"; dir?: string; lock?: boolean };

export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  if (options.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const sql: Sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    await runMigrations({ kind: "postgres", url: options.url });
    return {
      db: drizzle(sql, { schema }) as unknown as Db,
      kind: "postgres",
      exclusive: async (fn) => {
        // One reserved connection, so the lock and its release share a session.
        const session = await sql.reserve();
        try {
          await session`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
          try {
            return await fn();
          } finally {
            await session`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
          }
        } finally {
          session.release();
        }
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  let release = async () => {};
  if (options.dir) {
    makeDataDirPrivate(options.dir);
    // Released by the kernel if this process dies without closing.
    if (options.lock !== false) release = await acquireDataDirLock(options.dir);
  }
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client: PGlite = options.dir ? new PGlite(path.join(options.dir, "pglite")) : new PGlite();
    await client.waitReady;
    const db = drizzle(client, { schema }) as unknown as Db;
    await runMigrations({ kind: "pglite", client });
    return {
      db,
      kind: "pglite",
      exclusive: (fn) => fn(),
      close: async () => {
        try {
          await client.close();
        } finally {
          await release();
        }
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

// One handle per server process (Next.js loads instrumentation and route modules as separate
// module graphs). Forgotten when opening fails or the database is closed, so the next call retries.
const current = () => processSingleton("kindling.db", () => ({ handle: undefined as Promise<DbHandle> | undefined }));

/** Opens the configured database once per process (migrating it), and returns the same handle after. */
export function initDatabase(): Promise<DbHandle> {
  const holder = current();
  if (!holder.handle) {
    const url = databaseUrl();
    const opening = openDatabase(url ? { kind: "postgres", url } : { kind: "pglite", dir: dataDir() });
    holder.handle = opening;
    opening.catch(() => {
      if (holder.handle === opening) holder.handle = undefined;
    });
  }
  return holder.handle;
}

export async function getDb(): Promise<Db> {
  return (await initDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const holder = current();
  const pending = holder.handle;
  holder.handle = undefined;
  if (pending) await (await pending.catch(() => null))?.close();
}
