import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, lockFilePath, readLockHolder } from "./data-dir-lock";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "kindling-lock-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("data directory lock", () => {
  it("lets one holder in, refuses a second with a message naming the holder, and frees on release", () => {
    const dir = tempDir();
    const release = acquireDataDirLock(dir);
    expect(readLockHolder(dir)).toBe(process.pid);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`pid ${process.pid}`));
    release();
    expect(readLockHolder(dir)).toBeNull();
    acquireDataDirLock(dir)();
  });

  it("refuses while another live process holds it", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(lockFilePath(dir), String(child.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    } finally {
      child.kill();
    }
  });

  it("takes over a lock left by a process that died", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.on("exit", resolve));
    writeFileSync(lockFilePath(dir), String(child.pid));
    expect(readLockHolder(dir)).toBeNull();
    const release = acquireDataDirLock(dir);
    expect(readFileSync(lockFilePath(dir), "utf8")).toBe(String(process.pid));
    release();
  });
});
