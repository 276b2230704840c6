import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { appErrorOf } from "@/lib/testing/app-error";
import { createDataset, datasetFiles, getDataset, listDatasets } from "./datasets";

const SAMPLE = path.resolve("assets/starter/finetune-csv.train.jsonl");
let handle: TestDatabase;
let root: string;
beforeAll(async () => {
  handle = await openTestDatabase();
  root = await mkdtemp(path.join(tmpdir(), "kindling-datasets-"));
  // Opening and migrating PGlite took over 60 s on a machine shared by eight engineers.
}, 180_000);
afterAll(async () => {
  await handle?.close();
  await rm(root, { recursive: true, force: true });
});

async function* text(s: string) {
  yield new TextEncoder().encode(s);
}
const base = { format: "jsonl" as const, contextLength: 256, validationPercent: 10, createdBy: null };

describe(`datasets on ${process.env.KINDLING_TEST_DB}`, () => {
  it("stores the sample dataset with its statistics, preview and split, identified by content", async () => {
    const result = await createDataset(handle.db, createReadStream(SAMPLE), { ...base, name: "csv sample" }, root);
    if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
    const d = result.dataset;
    expect(d).toMatchObject({ name: "csv sample", examples: 1000, trainExamples: 900, validationExamples: 100, format: "jsonl" });
    expect(d.stats.assistantShare).toBeGreaterThan(0.05);
    expect(d.stats.assistantShare).toBeLessThan(0.5);
    expect(d.stats.histogram.reduce((s, b) => s + b.count, 0)).toBe(1000);
    expect(d.preview[0][1]).toEqual({ role: "assistant", content: "Amara,Berlin,43" });
    const files = datasetFiles(d.id, root);
    expect((await readFile(files.train, "utf8")).trim().split("\n")).toHaveLength(900);
    expect((await readFile(files.validation, "utf8")).trim().split("\n")).toHaveLength(100);
    expect(await getDataset(handle.db, d.id)).toEqual(d);
    expect((await listDatasets(handle.db)).map((x) => x.id)).toContain(d.id);

    const again = await createDataset(handle.db, createReadStream(SAMPLE), { ...base, name: "same again" }, root);
    expect(again).toMatchObject({ ok: true, existed: true, dataset: { id: d.id, name: "csv sample" } });
  });

  it("refuses a broken file, naming every bad line, and keeps nothing", async () => {
    const lines = [
      JSON.stringify({ messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }] }),
      "not json at all",
      JSON.stringify({ messages: [{ role: "robot", content: "a" }, { role: "assistant", content: "b" }] }),
      JSON.stringify({ prompt: "p", completion: "x".repeat(400) }),
    ].join("\n");
    const before = await listDatasets(handle.db);
    const result = await createDataset(handle.db, text(lines), { ...base, name: "broken" }, root);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(result.issues[0].reason).toMatch(/^not JSON/);
    expect(result.issues[1].reason).toMatch(/unknown role "robot"/);
    expect(result.issues[2].reason).toMatch(/longer than the base model's context of 256/);
    expect(await listDatasets(handle.db)).toHaveLength(before.length);
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("reads CSV through a column mapping", async () => {
    const csv = 'question,answer,notes\n"What is 2+2?",4,x\n"Say ""hi""","hi, there",y\n';
    const result = await createDataset(
      handle.db,
      text(csv),
      { ...base, format: "csv", csvMapping: { prompt: "question", completion: "answer" }, validationPercent: 0, name: "qa" },
      root,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.dataset.examples).toBe(2);
    expect(result.dataset.preview[1]).toEqual([
      { role: "user", content: 'Say "hi"' },
      { role: "assistant", content: "hi, there" },
    ]);
    const missing = await createDataset(handle.db, text(csv), { ...base, format: "csv", csvMapping: { prompt: "q", completion: "answer" }, name: "qa" }, root);
    expect(missing).toMatchObject({ ok: false, issues: [{ line: 1, reason: expect.stringMatching(/no column "q"/) }] });
  });

  it("refuses a file over the size limit without storing it", async () => {
    const big = JSON.stringify({ prompt: "p", completion: "c" }) + "\n";
    const error = await appErrorOf(createDataset(handle.db, text(big.repeat(100)), { ...base, name: "big", maxBytes: 1000 }, root), "VALIDATION");
    expect(error.message).toMatch(/larger than/);
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });
});
