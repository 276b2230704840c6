import { checkDatabase } from "@/lib/health";
import { VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

/** 200 with { ok, db, version } once the console can serve; 503 while the database cannot answer. */
export async function GET() {
  const health = await checkDatabase();
  return Response.json({ ...health, version: VERSION }, { status: health.ok ? 200 : 503 });
}
