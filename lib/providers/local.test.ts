import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeTestModel } from "@/lib/gguf/test-model";
import { ensureLocalEngine, listLocalEngines, stopLocalEngines } from "./local";

const dir = mkdtempSync(path.join(tmpdir(), "kindling-local-"));
afterAll(async () => {
  await stopLocalEngines();
  rmSync(dir, { recursive: true, force: true });
});

describe("local engines", () => {
  it("concurrent first calls for one model share one engine start", async () => {
    await writeTestModel(path.join(dir, "shared.gguf"), { seed: 5, contextLength: 256 });
    const urls = await Promise.all([1, 2, 3, 4].map(() => ensureLocalEngine("shared", dir)));
    expect(new Set(urls).size).toBe(1);
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(listLocalEngines().filter((e) => e.id === "local:shared")).toHaveLength(1);
    const models = await (await fetch(`${urls[0]}/models`)).json();
    expect(models.data[0].id).toBe("shared");
  });
});
