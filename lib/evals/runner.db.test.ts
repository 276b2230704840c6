// The runner against a real database. The model is the one boundary replaced: a function that
// answers like a provider would, so the test controls answers and timing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models, providers } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { AppError } from "@/lib/errors";
import type { CallModel } from "./call-model";
import { runEval } from "./runner";
import { cancelRun, createRun, createSuite, getRun, listResultRows, resolveModelIds } from "./suites";
import { summarizeRun } from "./summary";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await openTestDatabase();
  await handle.db.insert(providers).values({ id: "p1", name: "Test provider", kind: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" });
  await handle.db.insert(models).values([
    { id: "m-good", providerId: "p1", name: "good" },
    { id: "m-bad", providerId: "p1", name: "bad" },
  ]);
  // Migrating a fresh PGlite took over 60 s on a loaded shared machine.
}, 180_000);
afterAll(async () => {
  await handle?.close();
});

const cases = Array.from({ length: 6 }, (_, i) => ({ messages: [{ role: "user" as const, content: `${i}+${i}?` }], expected: String(2 * i) }));

function fakeModel(calls: string[]): CallModel {
  return async (modelId, messages, _params, signal) => {
    await new Promise((r) => setTimeout(r, 5));
    if (signal?.aborted) throw new Error("aborted");
    calls.push(`${modelId}:${messages.at(-1)!.content}`);
    const [a] = messages.at(-1)!.content.split("+").map(Number);
    const content = modelId === "m-good" ? String(2 * a) : a % 2 ? "no idea" : String(2 * a);
    return { requestId: `r-${calls.length}`, modelName: modelId === "m-good" ? "good" : "bad", content, ttftMs: 10 + calls.length, totalMs: 100, inputTokens: 5, outputTokens: 3, costUsd: modelId === "m-good" ? 0.002 : 0.001 };
  };
}

describe(`eval runner on ${process.env.KINDLING_TEST_DB}`, () => {
  it("grades every case for every model, and a restart continues without repeating a case", async () => {
    const suite = await createSuite(handle.db, { name: `arith-${Date.now()}`, source: "manual", graders: [{ type: "exact" }, { type: "numeric", tolerance: 0, relative: false }], cases }, null);
    const run = await createRun(handle.db, { suiteId: suite.id, modelIds: ["m-good", "m-bad"], concurrency: 2 }, null);
    const calls: string[] = [];
    // First process: stopped (as by a shutdown) after 5 results.
    const controller = new AbortController();
    let results = 0;
    await runEval(handle.db, run.id, fakeModel(calls), { signal: controller.signal, onResult: () => ++results >= 5 && controller.abort() });
    const partial = await getRun(handle.db, run.id);
    expect(partial?.status).toBe("running");
    expect(partial!.done).toBeGreaterThanOrEqual(5);
    expect(partial!.done).toBeLessThan(12);
    // Second process picks it up.
    expect(await runEval(handle.db, run.id, fakeModel(calls))).toBe("done");
    const rows = await listResultRows(handle.db, run.id);
    expect(rows).toHaveLength(12);
    expect(new Set(calls).size).toBe(calls.length);
    const [good, bad] = summarizeRun(rows, ["m-good", "m-bad"]);
    expect(good).toMatchObject({ modelName: "good", cases: 6, quality: 1, errors: 0 });
    expect(bad.quality).toBeCloseTo(3 / 6, 10);
    expect(good.costPer1k).toBeCloseTo(2, 10);
    const wrong = rows.find((r) => r.modelId === "m-bad" && r.caseIdx === 1)!;
    expect(wrong.grades).toEqual([
      { type: "exact", score: 0, reason: "differs from the expected answer" },
      { type: "numeric", score: 0, reason: "no number in the answer" },
    ]);
  });

  it("a cancelled run stops and keeps what it stored; a failing model is recorded per case", async () => {
    const suite = await createSuite(handle.db, { name: `cancel-${Date.now()}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
    const run = await createRun(handle.db, { suiteId: suite.id, modelIds: ["m-good"], concurrency: 1 }, null);
    let n = 0;
    const failing: CallModel = async () => {
      if (++n === 3) await cancelRun(handle.db, run.id);
      throw new AppError("UPSTREAM", "Test provider closed the connection.");
    };
    expect(await runEval(handle.db, run.id, failing)).toBe("cancelled");
    const rows = await listResultRows(handle.db, run.id);
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.status === "error" && r.error === "Test provider closed the connection." && r.modelName === "good")).toBe(true);
  });

  it("refuses an unknown model and a duplicate suite name", async () => {
    const suite = await createSuite(handle.db, { name: `dup-${Date.now()}`, source: "manual", graders: [{ type: "exact" }], cases }, null);
    await expect(createRun(handle.db, { suiteId: suite.id, modelIds: ["nope"] }, null)).rejects.toThrow("Unknown model: nope.");
    // Named by the field the API and the CLI take (`models`).
    await expect(resolveModelIds(handle.db, ["good", "nope"])).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { models: ["No model named nope in the catalogue (known: good, bad)."] } });
    await expect(createSuite(handle.db, { name: suite.name, source: "manual", graders: [{ type: "exact" }], cases }, null)).rejects.toThrow("already exists");
  });
});
