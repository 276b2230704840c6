// One process owns an embedded database directory: PGlite has no lock of its own, and two
// processes on one directory silently lose committed rows (seen with PGlite 0.5). This file is that lock.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `Another Kindling process (pid ${pid}) is already using the data directory ${dir}. ` +
        `Only one process may open an embedded database: stop that process first, ` +
        `set KINDLING_DATA_DIR to another directory, or set DATABASE_URL to share a PostgreSQL server.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function lockFilePath(dir: string): string {
  return path.join(dir, "kindling.lock");
}

/** The pid holding the lock on `dir`, or null when it is free (a lock left by a dead process is free). */
export function readLockHolder(dir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockFilePath(dir), "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock for this process; throws DataDirLockedError when a live process holds it.
 * Returns a release function. A lock left behind by a crashed process is taken over.
 */
export function acquireDataDirLock(dir: string, pid = process.pid): () => void {
  const file = lockFilePath(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, "utf8") === String(pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(file, "utf8") || "0", 10);
      if (holder === pid) throw new DataDirLockedError(dir, holder);
      if (holder > 0 && isAlive(holder)) throw new DataDirLockedError(dir, holder);
      // Stale: its owner died without releasing it.
      try {
        unlinkSync(file);
      } catch {
        // someone else removed it; try again
      }
    }
  }
  throw new Error(`Could not take the lock ${file}: it keeps changing hands.`);
}
