import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, lockFilePath, readLockHolder } from "./data-dir-lock";

const holderScript = path.join(import.meta.dirname, "fixtures", "hold-data-dir-lock.ts");
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "kindling-lock-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the holder script (optionally inside `prefix`, e.g. a new PID namespace); resolves to its first line. */
function hold(dir: string, prefix: string[] = []): { child: ChildProcess; line: Promise<string>; exited: Promise<number | null> } {
  const argv = [...prefix, process.execPath, "--import", "tsx", holderScript, dir];
  const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = new Promise<string>((resolve) => {
    let out = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    void exited.then(() => resolve(out.trim()));
  });
  return { child, line, exited };
}

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe("data directory lock", () => {
  it("lets one holder in, refuses a second with a message naming the holder, and frees on release", async () => {
    const dir = tempDir();
    const release = await acquireDataDirLock(dir);
    expect(readLockHolder(dir)).toBe(process.pid);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(DataDirLockedError);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(new RegExp(`pid ${process.pid}\\b`));
    await release();
    expect(readLockHolder(dir)).toBeNull();
    await (await acquireDataDirLock(dir))();
  });

  it("refuses while another process holds it, and is free once that process is killed with -9", async () => {
    const dir = tempDir();
    const holder = hold(dir);
    expect(await holder.line).toMatch(/^locked \d+$/);
    const pid = Number((await holder.line).split(" ")[1]);
    expect(readLockHolder(dir)).toBe(pid);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(`pid ${pid}`);
    holder.child.kill("SIGKILL");
    await holder.exited;
    // The kernel drops the lock with its holder (the flock child sees its stdin close).
    const release = await eventually(() => acquireDataDirLock(dir));
    await release();
  });

  it("a live but unrelated process with the recorded pid does not block a start (a reboot reuses pids)", async () => {
    const dir = tempDir();
    // Our parent is alive and is certainly not a Kindling process holding this directory.
    writeFileSync(lockFilePath(dir), String(process.ppid));
    expect(readLockHolder(dir)).toBeNull();
    const release = await acquireDataDirLock(dir);
    expect(readFileSync(lockFilePath(dir), "utf8")).toBe(String(process.pid));
    await release();
  });

  // The container case: a console restarted in a fresh PID namespace gets the crashed one's pid.
  it.skipIf(process.getuid?.() !== 0)("a console killed with -9 in a PID namespace can start again with the same pid", async () => {
    const dir = tempDir();
    const namespace = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"];
    const first = hold(dir, namespace);
    expect(await first.line).toBe("locked 1");
    await expect(acquireDataDirLock(dir)).rejects.toThrow("pid 1");
    // kill -9 the console (pid 1 inside; the child of unshare outside), as a container runtime would.
    const inner = Number(readFileSync(`/proc/${first.child.pid}/task/${first.child.pid}/children`, "utf8").trim().split(/\s+/)[0]);
    expect(inner).toBeGreaterThan(0);
    process.kill(inner, "SIGKILL");
    await first.exited;
    expect(readFileSync(lockFilePath(dir), "utf8")).toBe("1");

    const second = hold(dir, namespace);
    expect(await second.line).toBe("locked 1");
    expect(readLockHolder(dir)).toBe(1);
  });
});
