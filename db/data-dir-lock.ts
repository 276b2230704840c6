// One process owns an embedded database directory: PGlite has no lock of its own, and two
// processes on one directory silently lose committed rows. This is that lock: an flock(2) on
// $dir/kindling.lock, which the kernel releases when its holder dies however it dies. A recorded pid
// alone is not enough: in a container the restarted console gets the crashed one's pid again.
// Node has no flock API, so a child `flock` (util-linux) holds it while its stdin, a pipe from this
// process, stays open: the child exits at EOF, which comes when this process closes it or dies.
import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import path from "node:path";
import type { Readable, Writable } from "node:stream";

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number | null,
  ) {
    super(
      `Another Kindling process (${pid ? `pid ${pid}` : "pid unknown"}) is already using the data directory ${dir}. ` +
        `Only one process may open an embedded database: stop that process first, ` +
        `set KINDLING_DATA_DIR to another directory, or set DATABASE_URL to share a PostgreSQL server.`,
    );
    this.name = "DataDirLockedError";
  }
}

/** flock's exit code when the lock is taken (an unusual one, so it is never confused with others). */
const LOCKED_EXIT = 75;

export function lockFilePath(dir: string): string {
  return path.join(dir, "kindling.lock");
}

/** The pid the holder recorded (for messages only: the flock, not this number, is the lock). */
function recordedPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function flockMissing(error: unknown): Error {
  return new Error(
    `Locking the data directory needs the flock command (util-linux): ${(error as Error).message}. ` +
      `Install util-linux, or set DATABASE_URL to use a PostgreSQL server.`,
    { cause: error },
  );
}

/**
 * Whether a live process holds the lock on `dir`: its recorded pid (0 when it recorded none),
 * or null when the lock is free.
 */
export function readLockHolder(dir: string): number | null {
  const file = lockFilePath(dir);
  if (!existsSync(file)) return null;
  const probe = spawnSync("flock", ["--nonblock", "--conflict-exit-code", String(LOCKED_EXIT), file, "true"], { stdio: "ignore" });
  if (probe.error) throw flockMissing(probe.error);
  if (probe.status !== LOCKED_EXIT) return null;
  return recordedPid(file) ?? 0;
}

/**
 * Takes the lock for this process, or throws DataDirLockedError naming the holder. Resolves to
 * the release function, which resolves once the lock is free. A crashed holder's lock is free already.
 */
export async function acquireDataDirLock(dir: string, pid = process.pid): Promise<() => Promise<void>> {
  const file = lockFilePath(dir);
  // The file stays after release (removing a lock file races with a process about to lock it):
  // it is an empty file when free.
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(
    "flock",
    ["--nonblock", "--conflict-exit-code", String(LOCKED_EXIT), file, "sh", "-c", "echo locked; exec cat >/dev/null"],
    { stdio: ["pipe", "pipe", "ignore"] },
  );
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const outcome = await new Promise<"locked" | { code: number | null } | { error: Error }>((resolve) => {
    child.once("error", (error) => resolve({ error }));
    child.stdout.setEncoding("utf8");
    child.stdout.once("data", (data: string) => resolve(data.startsWith("locked") ? "locked" : { code: null }));
    void exited.then((code) => resolve({ code }));
  });
  if (outcome !== "locked") {
    child.stdin.destroy();
    if ("error" in outcome) throw flockMissing(outcome.error);
    if (outcome.code === LOCKED_EXIT) throw new DataDirLockedError(dir, recordedPid(file));
    throw new Error(`Could not lock ${file}: flock exited with code ${outcome.code}.`);
  }
  // Held for the life of this process without keeping it alive.
  child.stdout.destroy();
  (child.stdin as unknown as Socket).unref();
  child.unref();
  writeFileSync(file, String(pid), { mode: 0o600 });
  let released: Promise<void> | null = null;
  return () =>
    (released ??= (async () => {
      try {
        writeFileSync(file, "");
      } catch {
        // the directory is gone: nothing to tidy
      }
      // Waited for from here on: the caller must not go on before the lock is free.
      child.ref();
      (child.stdin as unknown as Socket).ref();
      child.stdin.end();
      await exited;
    })());
}
