import { sql } from "drizzle-orm";
import { initDatabase } from "@/db/client";
import { VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

/** 200 with { ok, db, version } once the console can serve; 503 while the database cannot answer. */
export async function GET() {
  try {
    const { db, kind } = await initDatabase();
    await db.execute(sql`select 1`);
    return Response.json({ ok: true, db: kind, version: VERSION });
  } catch {
    return Response.json({ ok: false, db: null, version: VERSION }, { status: 503 });
  }
}
