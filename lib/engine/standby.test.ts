// The standby engine: a process with llama.cpp loaded waits for a model; the next start takes it,
// a new one replaces it, a restart after a crash takes one too, and a bad model through it still fails
// with the reason. Real engine processes.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTestModel } from "@/lib/gguf/test-model";
import { EngineManager } from "./manager";
import { isAlive } from "@/lib/testing/is-alive";
import { until } from "@/lib/testing/until";

let dir: string;
let manager: EngineManager;


beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kindling-standby-"));
  await writeTestModel(join(dir, "tiny.gguf"), { seed: 7 });
  await writeFile(join(dir, "broken.gguf"), "GGUF but not really");
  manager = new EngineManager({ standby: true, restartBackoffMs: 200, healthIntervalMs: 0 });
});

afterAll(async () => {
  await manager?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("standby engine", { timeout: 300_000 }, () => {
  it("gives the next start a process that already loaded llama.cpp, then keeps a fresh one waiting", async () => {
    const first = await until("a standby engine", () => manager.standbyPid);
    const a = await manager.start({ id: "a", modelPath: join(dir, "tiny.gguf"), modelId: "tiny" });
    expect(a.pid).toBe(first);
    const res = await fetch(`${a.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }], max_tokens: 4 }),
    });
    expect(res.status).toBe(200);

    // A replacement waits; a crash restart takes it.
    const second = await until("a second standby", () => manager.standbyPid !== first && manager.standbyPid);
    process.kill(a.pid!, "SIGKILL");
    await until("restarted", () => manager.get("a")?.status === "ready" && manager.get("a")!.restarts === 1);
    expect(manager.get("a")!.pid).toBe(second);

    // A file that is no model fails through the standby as it would in a fresh process.
    const third = await until("a third standby", () => manager.standbyPid !== second && manager.standbyPid);
    await expect(manager.start({ id: "bad", modelPath: join(dir, "broken.gguf") })).rejects.toThrow(/engine process exited with code 1/);
    expect(isAlive(third)).toBe(false);

    const waiting = await until("a standby after the failure", () => manager.standbyPid);
    await manager.dispose();
    expect(isAlive(waiting)).toBe(false);
    expect(manager.standbyPid).toBeUndefined();
  });
});
