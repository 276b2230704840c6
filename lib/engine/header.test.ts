import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeTestModel } from "@/lib/gguf/test-model";
import { assertGgufHeader } from "./runtime";

const dir = mkdtempSync(path.join(tmpdir(), "kindling-header-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("GGUF header check", () => {
  it("accepts a GGUF file and refuses other bytes with the reason", async () => {
    const good = path.join(dir, "good.gguf");
    await writeTestModel(good, { seed: 1 });
    await expect(assertGgufHeader(good)).resolves.toBeUndefined();
    const garbage = path.join(dir, "garbage.gguf");
    writeFileSync(garbage, "this is not a model at all, just text");
    await expect(assertGgufHeader(garbage)).rejects.toThrow('is not a GGUF file (it does not start with "GGUF")');
    const v9 = path.join(dir, "v9.gguf");
    writeFileSync(v9, Buffer.from([0x47, 0x47, 0x55, 0x46, 9, 0, 0, 0]));
    await expect(assertGgufHeader(v9)).rejects.toThrow("GGUF version 9");
    await expect(assertGgufHeader(path.join(dir, "missing.gguf"))).rejects.toThrow("ENOENT");
  });

  it("an engine started on a file that is not GGUF reports failed at once", async () => {
    const garbage = path.join(dir, "not-a-model.gguf");
    writeFileSync(garbage, Buffer.alloc(4096, 0x41));
    const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["lib/engine/cli.ts", "--model", garbage, "--port", "0"], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toMatchObject({ event: "failed", error: expect.stringContaining("is not a GGUF file") });
  }, 30_000);
});
