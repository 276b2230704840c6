import { mkdtempSync, rmSync } from "node:fs";
import { utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeTestModel } from "@/lib/gguf/test-model";
import { writeGguf } from "@/lib/gguf/writer";
import { clearLocalEngineFailures, ensureLocalEngine, getEngineSupervisor, localEngineState, stopAllEngines } from "./supervisor";

// Two crashes in a row are a crash loop here, so the test need not wait through five restarts.
process.env.KINDLING_ENGINE_MAX_RESTARTS = "1";
const dir = mkdtempSync(path.join(tmpdir(), "kindling-local-"));
afterAll(async () => {
  await stopAllEngines();
  rmSync(dir, { recursive: true, force: true });
});

describe("the engine supervisor", () => {
  it("is one manager per process", () => {
    expect(getEngineSupervisor()).toBe(getEngineSupervisor());
  });

  it("concurrent first calls for one model share one engine start", async () => {
    await writeTestModel(path.join(dir, "shared.gguf"), { seed: 5, contextLength: 256 });
    const urls = await Promise.all([1, 2, 3, 4].map(() => ensureLocalEngine("shared", dir)));
    expect(new Set(urls).size).toBe(1);
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(getEngineSupervisor().list().filter((e) => e.id === "local:shared")).toHaveLength(1);
    const models = await (await fetch(`${urls[0]}/models`)).json();
    expect(models.data[0].id).toBe("shared");
    expect(localEngineState("shared")).toEqual({ status: "ready" });
  });

  it("keeps a failed local model down until its failure is cleared", async () => {
    const file = path.join(dir, "flaky.gguf");
    // llama.cpp refuses an unknown architecture: the engine fails to load.
    await writeGguf(file, { metadata: { "general.architecture": { type: "string", value: "bogus" } }, tensors: [] });
    // Whole seconds: an mtime set back exactly (stat reports sub-millisecond times).
    await utimes(file, 1_700_000_000, 1_700_000_000);
    await expect(ensureLocalEngine("flaky", dir)).rejects.toThrow(/could not be started/);
    expect(localEngineState("flaky").status).toBe("failed");
    // A good model in its place, with the same mtime: as if what failed was not the file
    // (a crash loop, memory, a killed process). It is not retried on its own...
    await writeTestModel(file, { seed: 6, contextLength: 256 });
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const started = Date.now();
    await expect(ensureLocalEngine("flaky", dir)).rejects.toThrow(/could not be started/);
    expect(Date.now() - started).toBeLessThan(500);
    // ...until the failure is cleared (Rescan files, or Retry on the model).
    expect(await clearLocalEngineFailures("other")).toEqual([]);
    expect(localEngineState("flaky").status).toBe("failed");
    expect(await clearLocalEngineFailures("flaky")).toEqual(["flaky"]);
    expect(localEngineState("flaky")).toEqual({ status: "idle" });
    expect(await ensureLocalEngine("flaky", dir)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(localEngineState("flaky")).toEqual({ status: "ready" });
  }, 60_000);

  it("clears a local engine that crash-looped, so it starts again", async () => {
    await writeTestModel(path.join(dir, "looping.gguf"), { seed: 9, contextLength: 256 });
    await ensureLocalEngine("looping", dir);
    const manager = getEngineSupervisor();
    const next = (statuses: string[]) =>
      new Promise<string>((resolve) => {
        const onStatus = (info: { id: string; status: string }) => {
          if (info.id !== "local:looping" || !statuses.includes(info.status)) return;
          manager.off("status", onStatus);
          resolve(info.status);
        };
        manager.on("status", onStatus);
      });
    // A crash loop: killed once after becoming ready it restarts, killed again it is given up on.
    for (;;) {
      const crashed = next(["restarting", "failed"]);
      process.kill(manager.get("local:looping")!.pid!, "SIGKILL");
      if ((await crashed) === "failed") break;
      expect(await next(["ready", "failed"])).toBe("ready");
    }
    const failed = manager.get("local:looping")!;
    expect(failed.lastExit).toMatchObject({ code: null, signal: "SIGKILL" });
    expect(localEngineState("looping")).toMatchObject({ status: "failed", error: expect.stringMatching(/after 1 restarts/) });
    await expect(ensureLocalEngine("looping", dir)).rejects.toThrow(/after 1 restarts/);
    expect(await clearLocalEngineFailures()).toContain("looping");
    expect(await ensureLocalEngine("looping", dir)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(manager.get("local:looping")).toMatchObject({ status: "ready", restarts: 0 });
  }, 120_000);
});
