// The console's one usage queue, and reads of stored usage rows.
import { desc, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { usageEvents, type UsageEvent } from "@/db/schema";
import type { BackgroundService } from "@/lib/bootstrap/services";
import { processSingleton } from "@/lib/process-singleton";
import { UsageQueue } from "./usage-queue";

export function getUsageQueue(): UsageQueue {
  return processSingleton("kindling.usage-queue", () => new UsageQueue(getDb));
}

/**
 * The usage flusher: writes queued rows every second. First in the services list, so it stops
 * last and its stop() writes every row metered until then. Nothing to resume: a queued row lives
 * at most a second in memory before it is stored.
 */
export const usageFlusherService: BackgroundService = {
  name: "usage flusher",
  start: async () => getUsageQueue().start(),
  stop: () => getUsageQueue().close(),
};

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
