// Applies the committed migrations in db/migrations. On a PostgreSQL server they run under an
// advisory lock, so two console instances starting together never race.
import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import { migrationsDir } from "@/lib/env";

/** Any constant will do; it only has to be the same for every Kindling instance. */
export const MIGRATION_LOCK_KEY = 0x6b696e64;

export function migrationsFolder(): string {
  return migrationsDir();
}

export async function runMigrations(
  target: { kind: "postgres"; url: string } | { kind: "pglite"; client: PGlite },
): Promise<void> {
  if (target.kind === "pglite") {
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(drizzle(target.client), { migrationsFolder: migrationsFolder() });
    return;
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // One connection, so the lock and the migrations share a session.
  const sql = postgres(target.url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder: migrationsFolder() });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
