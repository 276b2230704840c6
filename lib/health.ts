// Whether the console can serve: the database answers a trivial query.
import "server-only";
import { sql } from "drizzle-orm";
import { initDatabase, type DbKind } from "@/db/client";

export async function checkDatabase(): Promise<{ ok: true; db: DbKind } | { ok: false; db: null }> {
  try {
    const { db, kind } = await initDatabase();
    await db.execute(sql`select 1`);
    return { ok: true, db: kind };
  } catch {
    return { ok: false, db: null };
  }
}
