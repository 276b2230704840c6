// The console's one usage queue, and reads of stored usage rows.
import "server-only";
import { desc, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { usageEvents, type UsageEvent } from "@/db/schema";
import type { BackgroundService } from "@/lib/bootstrap/services";
import { processSingleton } from "@/lib/process-singleton";
import type { UsageDto } from "./query-options";
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

function toUsageDto(r: UsageEvent): UsageDto {
  return {
    requestId: r.requestId,
    at: r.at.toISOString(),
    source: r.source,
    apiKeyId: r.apiKeyId,
    providerName: r.providerName,
    modelName: r.modelName,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    ttftMs: r.ttftMs,
    totalMs: r.totalMs,
    costUsd: r.costUsd === null ? null : Number(r.costUsd),
    status: r.status,
    finishReason: r.finishReason,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    deployment: r.deployment,
    replicaId: r.replicaId,
  };
}

/** The newest usage rows as DTOs, newest first (what /api/usage answers). */
export async function listUsage(db: Tx, options: { limit?: number; userId?: string } = {}): Promise<UsageDto[]> {
  return (await listRecentUsage(db, options)).map(toUsageDto);
}
