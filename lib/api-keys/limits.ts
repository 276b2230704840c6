// A key's requests-per-minute limit and monthly budget. The rate limit is a token bucket per key in
// this process (capacity = the limit, refilled evenly over a minute). Spend is the sum of the key's
// usage rows this calendar month (UTC), the same costs the usage rows carry, read at most every
// SPEND_CACHE_MS and raised in memory by every call this process meters in between.
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getUsageQueue } from "@/lib/metering/usage";
import { processSingleton } from "@/lib/process-singleton";

export const SPEND_CACHE_MS = 30_000;

interface Bucket {
  tokens: number;
  at: number;
}

interface Spend {
  month: number;
  usd: number;
  until: number;
  loading?: Promise<number>;
}

function buckets(): Map<string, Bucket> {
  return processSingleton("kindling.api-keys.buckets", () => new Map<string, Bucket>());
}

function spends(): Map<string, Spend> {
  return processSingleton("kindling.api-keys.spend", () => new Map<string, Spend>());
}

/** Forgets cached spend (tests: a fresh process). */
export function clearSpendCache(): void {
  spends().clear();
}

/** Takes one request from the key's bucket, or throws RATE_LIMITED with the seconds until one is free. */
export function takeRateLimit(keyId: string, rpm: number | null, now = Date.now()): void {
  if (!rpm) return;
  const perMs = rpm / 60_000;
  const map = buckets();
  const b = map.get(keyId) ?? { tokens: rpm, at: now };
  b.tokens = Math.min(rpm, b.tokens + (now - b.at) * perMs);
  b.at = now;
  if (b.tokens < 1) {
    map.set(keyId, b);
    const seconds = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    throw new AppError("RATE_LIMITED", `Rate limit reached for this API key: ${rpm} requests per minute. Try again in ${seconds} s.`, {
      retryAfterSeconds: seconds,
    });
  }
  b.tokens -= 1;
  map.set(keyId, b);
}

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function secondsToNextMonth(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

async function loadSpend(db: Db, keyId: string, since: Date): Promise<number> {
  // Rows still queued in memory count too: write them first.
  await getUsageQueue().flush().catch(() => 0);
  const [row] = await db
    .select({ usd: sql<string | null>`sum(${usageEvents.costUsd})` })
    .from(usageEvents)
    .where(and(eq(usageEvents.apiKeyId, keyId), gte(usageEvents.at, since)));
  return Number(row?.usd ?? 0);
}

/** The key's spend this month in USD. */
export async function monthSpend(db: Db, keyId: string, now = new Date()): Promise<number> {
  const month = monthStart(now).getTime();
  const map = spends();
  let s = map.get(keyId);
  if (!s || s.month !== month || s.until <= now.getTime()) {
    const loading = s?.loading ?? loadSpend(db, keyId, new Date(month));
    s = { month, usd: s?.month === month ? s.usd : 0, until: s?.until ?? 0, loading };
    map.set(keyId, s);
    try {
      s.usd = await loading;
      s.until = now.getTime() + SPEND_CACHE_MS;
    } finally {
      s.loading = undefined;
    }
  }
  return s.usd;
}

/** Throws RATE_LIMITED (429, Retry-After: the start of next month) once the key has spent its budget. */
export async function checkBudget(db: Db, keyId: string, budgetUsd: number | null, now = new Date()): Promise<void> {
  if (budgetUsd === null) return;
  const spent = await monthSpend(db, keyId, now);
  if (spent >= budgetUsd) {
    throw new AppError("RATE_LIMITED", `This API key has spent its monthly budget of $${budgetUsd.toFixed(2)} ($${spent.toFixed(4)} so far).`, {
      retryAfterSeconds: secondsToNextMonth(now),
      cause: { budget: true },
    });
  }
}

/** Adds a metered call's cost to the key's spend in memory (called as its usage row is queued). */
export function addSpend(keyId: string, usd: number, now = new Date()): void {
  const s = spends().get(keyId);
  if (s && s.month === monthStart(now).getTime() && !s.loading) s.usd += usd;
}
