// Truth: every figure the chart functions return equals the same figure computed straight from the
// stored usage rows, including rows that arrive late and a restart of the rollup service mid-way.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvents, type NewUsageEvent } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { UsageRollupService } from "@/lib/metering/rollup-service";
import { rollUpUsage } from "@/lib/metering/rollups";
import { prepareUsage, DEFAULT_TTFT_BUDGET_MS } from "./prepare-usage";
import { getUsageSeries, listRequestsInBucket } from "./queries";
import type { RollupGrain } from "@/db/schema";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

const T0 = Date.parse("2026-03-01T00:00:00Z");
const MODELS = ["alpha", "beta", "gamma"];
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
let n = 0;

function makeRow(atMs: number): NewUsageEvent {
  const model = MODELS[Math.floor(rand() * MODELS.length)];
  const status = rand() < 0.1 ? "error" : "ok";
  const ttft = rand() < 0.1 ? null : Math.exp(rand() * 7); // 1 ms .. 1.1 s, some missing
  const out = status === "error" ? null : 1 + Math.floor(rand() * 300);
  return {
    requestId: `truth-${n++}`,
    at: new Date(atMs),
    source: rand() < 0.5 ? "playground" : "eval",
    providerName: model === "gamma" ? "Remote" : "Local engine",
    modelName: model,
    // Some of beta's calls named a deployment (a replica or its failover answered).
    deployment: model === "beta" && atMs % 2 === 0 ? "support-bot" : null,
    inputTokens: Math.floor(rand() * 500),
    outputTokens: out,
    ttftMs: ttft,
    totalMs: ttft === null ? null : ttft + rand() * 4000,
    costUsd: (rand() * 0.01).toFixed(10),
    status,
  };
}

const exactPercentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.max(1, Math.ceil(p * s.length)) - 1] : null;
};

async function allRows(): Promise<NewUsageEvent[]> {
  return handle.db.select().from(usageEvents);
}

function expectedFor(rows: NewUsageEvent[], from: number, to: number) {
  const inRange = rows.filter((r) => (r.at as Date).getTime() >= from && (r.at as Date).getTime() < to);
  const per = new Map<string, NewUsageEvent[]>();
  for (const r of inRange) per.set(r.modelName, [...(per.get(r.modelName) ?? []), r]);
  return { inRange, per };
}

async function checkWindow(from: number, to: number, grain: RollupGrain) {
  const rows = await allRows();
  const data = await getUsageSeries(handle.db, { from: new Date(from), to: new Date(to) }, { model: [], provider: [], deployment: [], user: [], apiKey: [], source: [] }, grain);
  expect(data.from).toBe(new Date(from).toISOString());
  const prepared = prepareUsage(data);
  const { inRange, per } = expectedFor(rows, from, to);
  expect(prepared.totals.requests).toBe(inRange.length);
  expect(prepared.totals.errors).toBe(inRange.filter((r) => r.status === "error").length);
  expect(prepared.totals.costUsd).toBeCloseTo(inRange.reduce((s, r) => s + Number(r.costUsd), 0), 8);
  expect(prepared.totals.outputTokens).toBe(inRange.reduce((s, r) => s + (r.outputTokens ?? 0), 0));
  expect(prepared.models.map((m) => m.modelName).sort()).toEqual([...per.keys()].sort());
  for (const m of prepared.models) {
    const mine = per.get(m.modelName)!;
    expect(m.requests).toBe(mine.length);
    expect(m.inputTokens).toBe(mine.reduce((s, r) => s + (r.inputTokens ?? 0), 0));
    expect(m.costUsd).toBeCloseTo(mine.reduce((s, r) => s + Number(r.costUsd), 0), 8);
    const ttfts = mine.map((r) => r.ttftMs).filter((v): v is number => v != null);
    expect(m.avgTtftMs).toBeCloseTo(ttfts.reduce((s, v) => s + v, 0) / ttfts.length, 6);
    for (const [p, got] of [
      [0.5, m.p50TtftMs],
      [0.95, m.p95TtftMs],
    ] as const) {
      const want = exactPercentile(ttfts, p)!;
      expect(Math.abs(got! - want)).toBeLessThanOrEqual(Math.max(0.02 * want, 1));
    }
    const within = ttfts.filter((v) => v <= DEFAULT_TTFT_BUDGET_MS).length / ttfts.length;
    expect(Math.abs(m.withinBudget! - within)).toBeLessThanOrEqual(0.02);
    const gen = mine.filter((r) => (r.outputTokens ?? 0) > 1 && r.totalMs != null && r.ttftMs != null && r.totalMs > r.ttftMs);
    const tps = gen.reduce((s, r) => s + r.outputTokens! - 1, 0) / (gen.reduce((s, r) => s + r.totalMs! - r.ttftMs!, 0) / 1000);
    expect(m.tokensPerSecond).toBeCloseTo(tps, 6);
  }
  // Per bucket: requests and errors over time match the rows in each bucket.
  const step = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[grain];
  for (const [i, b] of prepared.requests.entries()) {
    const start = from + i * step;
    const inBucket = inRange.filter((r) => (r.at as Date).getTime() >= start && (r.at as Date).getTime() < start + step);
    expect(b.ok + b.errors, `bucket ${b.bucket}`).toBe(inBucket.length);
    expect(b.errors).toBe(inBucket.filter((r) => r.status === "error").length);
  }
  return prepared;
}

describe(`usage rollups match the raw rows on ${process.env.KINDLING_TEST_DB}`, () => {
  it("counts late rows, survives a restart mid-way and never double-counts", async () => {
    const db = handle.db;
    // 600 rows over three days, in time order.
    const first = Array.from({ length: 600 }, (_, i) => makeRow(T0 + Math.floor((i / 600) * 3 * 86_400_000 + rand() * 60_000)));
    await db.insert(usageEvents).values(first.slice(0, 400));
    // An id handed out now whose row commits later (an insert still in flight).
    const [{ id: reserved }] = (await db.execute(sql`select nextval('usage_events_id_seq')::int as id`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { id: number }[];
    await db.insert(usageEvents).values(first.slice(400));

    // One pass commits part of the rows (as a service killed after it would have), then a new
    // instance carries on from the stored watermark.
    const partial = await rollUpUsage(db, { batch: 150 });
    expect(partial.rows).toBe(150);
    const after = new UsageRollupService(async () => db, { batch: 150 });
    expect(await after.runOnce()).toBeGreaterThan(0);
    await checkWindow(T0, T0 + 3 * 86_400_000, "hour");

    // Late rows: old timestamps arriving now, one of them in the id gap reserved above.
    const late = [makeRow(T0 + 5 * 60_000 + 1234), makeRow(T0 + 86_400_000 + 17), makeRow(T0 + 2 * 3_600_000)];
    await db.insert(usageEvents).values({ ...late[0], id: reserved });
    await db.insert(usageEvents).values(late.slice(1));
    await after.runOnce();
    // A second pass over nothing new, and a third instance, change nothing.
    await after.runOnce();
    await new UsageRollupService(async () => db, { batch: 7 }).runOnce();

    await checkWindow(T0, T0 + 3 * 86_400_000, "hour");
    await checkWindow(T0, T0 + 3 * 86_400_000, "day");
    const minutes = await checkWindow(T0, T0 + 6 * 3_600_000, "minute");
    expect(minutes.totals.requests).toBeGreaterThan(0);

    // The deployment dimension: the filtered series counts exactly the rows that named it.
    const everyRow = await allRows();
    const named = everyRow.filter((r) => r.deployment === "support-bot");
    expect(named.length).toBeGreaterThan(0);
    const none = { model: [], provider: [], user: [], apiKey: [], source: [] };
    const byDeployment = await getUsageSeries(db, { from: new Date(T0), to: new Date(T0 + 3 * 86_400_000) }, { ...none, deployment: ["support-bot"] }, "hour");
    expect(byDeployment.rows.reduce((sum, r) => sum + r.requests, 0)).toBe(named.length);
    // One model's series (read from the per-model rollups) equals that model's raw rows, hour and day.
    for (const grain of ["hour", "day"] as const) {
      const beta = await getUsageSeries(db, { from: new Date(T0), to: new Date(T0 + 3 * 86_400_000) }, { ...none, deployment: [], model: ["beta"] }, grain);
      const raw = everyRow.filter((r) => r.modelName === "beta" && (r.at as Date).getTime() < T0 + 3 * 86_400_000 && (r.at as Date).getTime() >= T0);
      expect(beta.rows.every((r) => r.modelName === "beta")).toBe(true);
      expect(beta.rows.reduce((sum, r) => sum + r.requests, 0)).toBe(raw.length);
      expect(beta.rows.reduce((sum, r) => sum + r.errors, 0)).toBe(raw.filter((r) => r.status === "error").length);
      expect(beta.rows.reduce((sum, r) => sum + r.ttft.reduce((n, [, c]) => n + c, 0), 0)).toBe(raw.filter((r) => r.ttftMs != null).length);
    }
    const firstNamed = named.reduce((a, b) => ((a.at as Date) < (b.at as Date) ? a : b));
    const hourOf = new Date(Math.floor((firstNamed.at as Date).getTime() / 3_600_000) * 3_600_000);
    const listedNamed = await listRequestsInBucket(db, { bucket: hourOf, grain: "hour", filters: { ...none, deployment: ["support-bot"] } });
    expect(listedNamed.length).toBe(named.filter((r) => (r.at as Date).getTime() - hourOf.getTime() < 3_600_000 && (r.at as Date) >= hourOf).length);
    expect(listedNamed.every((r) => r.deployment === "support-bot")).toBe(true);

    // Clicking a bucket lists the rows behind it.
    const busiest = minutes.requests.reduce((a, b) => (b.ok + b.errors > a.ok + a.errors ? b : a));
    const listed = await listRequestsInBucket(db, { bucket: new Date(busiest.bucket), grain: "minute", filters: { model: [], provider: [], deployment: [], user: [], apiKey: [], source: [] } });
    expect(listed).toHaveLength(busiest.ok + busiest.errors);
  });
});
