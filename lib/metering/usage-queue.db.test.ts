import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NewUsageEvent } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { getUsageByRequestId, listRecentUsage } from "./usage";
import { UsageQueue } from "./usage-queue";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

let n = 0;
const row = (over: Partial<NewUsageEvent> = {}): NewUsageEvent => ({
  requestId: `req-${Date.now()}-${n++}`,
  at: new Date(),
  source: "playground",
  providerName: "Local engine",
  modelName: "tiny.gguf",
  inputTokens: 12,
  outputTokens: 34,
  ttftMs: 8.5,
  totalMs: 120.25,
  costUsd: "0.0000123400",
  status: "ok",
  finishReason: "stop",
  ...over,
});

describe(`usage queue on ${process.env.KINDLING_TEST_DB}`, () => {
  it("writes queued rows in batches with their numbers intact", async () => {
    const queue = new UsageQueue(async () => handle.db, { intervalMs: 60_000, maxBatch: 3 });
    const rows = Array.from({ length: 7 }, () => row());
    for (const r of rows) queue.enqueue(r);
    await queue.close();
    expect(queue.size).toBe(0);
    for (const r of rows) {
      const stored = await getUsageByRequestId(handle.db, r.requestId);
      expect(stored).toMatchObject({ inputTokens: 12, outputTokens: 34, ttftMs: 8.5, totalMs: 120.25, costUsd: "0.0000123400", status: "ok" });
    }
  });

  it("a repeated flush of the same request id is harmless", async () => {
    const queue = new UsageQueue(async () => handle.db, { intervalMs: 60_000 });
    const r = row();
    queue.enqueue(r);
    queue.enqueue({ ...r, outputTokens: 999 });
    await queue.flush();
    queue.enqueue(r);
    await queue.flush();
    const stored = (await listRecentUsage(handle.db, { limit: 500 })).filter((x) => x.requestId === r.requestId);
    expect(stored).toHaveLength(1);
    expect(stored[0].outputTokens).toBe(34);
  });

  it("keeps rows when the database fails and writes them on the next flush", async () => {
    let fail = true;
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const queue = new UsageQueue(
      async () => {
        if (fail) throw new Error("database down");
        return handle.db;
      },
      { intervalMs: 60_000 },
    );
    const r = row();
    queue.enqueue(r);
    await expect(queue.flush()).rejects.toThrow("database down");
    fail = false;
    await queue.close();
    expect(await getUsageByRequestId(handle.db, r.requestId)).not.toBeNull();
    error.mockRestore();
  });

  it("a row whose user or price vanished is stored without that reference, and the rest of its batch is written", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const queue = new UsageQueue(async () => handle.db, { intervalMs: 60_000, maxBatch: 50 });
      const good = Array.from({ length: 4 }, () => row());
      const noUser = row({ userId: `removed-member-${n}` });
      const noPrice = row({ priceId: 987_654_321 });
      for (const r of [good[0], noUser, good[1], noPrice, good[2], good[3]]) queue.enqueue(r);
      expect(await queue.flush()).toBe(6);
      expect(queue.size).toBe(0);
      for (const r of good) expect(await getUsageByRequestId(handle.db, r.requestId)).toMatchObject({ outputTokens: 34, status: "ok" });
      expect(await getUsageByRequestId(handle.db, noUser.requestId)).toMatchObject({ userId: null, outputTokens: 34, costUsd: "0.0000123400" });
      expect(await getUsageByRequestId(handle.db, noPrice.requestId)).toMatchObject({ priceId: null, outputTokens: 34 });
      // One line per orphan, none about the good rows, and no retry loop afterwards.
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls[0][0]).toMatch(/userId no longer exists/);
      expect(error).not.toHaveBeenCalled();
      expect(await queue.flush()).toBe(0);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it("a row the database can never store is logged once and dropped; it blocks nothing", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const queue = new UsageQueue(async () => handle.db, { intervalMs: 60_000 });
      // PostgreSQL text cannot hold a NUL character (SQLSTATE 22P05/22021 on both backends).
      const poison = row({ errorMessage: "upstream said \u0000" });
      const good = row();
      queue.enqueue(poison);
      queue.enqueue(good);
      expect(await queue.flush()).toBe(1);
      expect(queue.size).toBe(0);
      expect(await getUsageByRequestId(handle.db, good.requestId)).not.toBeNull();
      expect(error).toHaveBeenCalledTimes(1);
      expect(error.mock.calls[0][0]).toContain(poison.requestId);
    } finally {
      error.mockRestore();
    }
  });

  it("while the database is unreachable, retries back off and the outage is logged once", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      let attempts = 0;
      let down = true;
      const queue = new UsageQueue(
        async () => {
          attempts++;
          if (down) throw new Error("connection refused");
          return handle.db;
        },
        { intervalMs: 10, maxRetryMs: 80 },
      );
      const r = row();
      queue.enqueue(r);
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Every 10 ms would be about 40 attempts; doubling delays capped at 80 ms make about 8.
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(attempts).toBeLessThanOrEqual(12);
      expect(error).toHaveBeenCalledTimes(1);
      down = false;
      await queue.close();
      expect(await getUsageByRequestId(handle.db, r.requestId)).not.toBeNull();
      expect(log).toHaveBeenCalledWith(expect.stringContaining("written again"));
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  });
});
