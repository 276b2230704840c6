// The console's one usage queue, and reads of stored usage rows.
import { desc, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { usageEvents, type UsageEvent } from "@/db/schema";
import { UsageQueue } from "./usage-queue";

const holder = globalThis as unknown as { __kindlingUsage?: UsageQueue };

export function getUsageQueue(): UsageQueue {
  holder.__kindlingUsage ??= new UsageQueue(getDb);
  return holder.__kindlingUsage;
}

export async function listRecentUsage(db: Tx, options: { limit?: number; userId?: string } = {}): Promise<UsageEvent[]> {
  return db
    .select()
    .from(usageEvents)
    .where(options.userId ? eq(usageEvents.userId, options.userId) : undefined)
    .orderBy(desc(usageEvents.id))
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500));
}

export async function getUsageByRequestId(db: Tx, requestId: string): Promise<UsageEvent | null> {
  const [row] = await db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId));
  return row ?? null;
}
