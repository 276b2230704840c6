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
});
