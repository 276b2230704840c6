// The CPU priority of engines and trainers. Model compute is batch work: when the console (routing,
// metering, pages) and an engine want the same core, the console's few milliseconds can go first, so
// that a gateway request does not wait behind a decode step. The console passes `--nice` to trainers
// (KINDLING_TRAIN_NICE, default 10) and, when KINDLING_ENGINE_NICE is set, to engines (default 0: on 2
// cores two replicas at 10 got about 0.1 core less, 1.48-1.55 against 1.61-1.68; see the README). The process lowers
// its own priority, which needs no privilege.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";

/** A nice value from a flag or variable named `name`: a whole number from 0 to 19, or an error saying so. */
export function parseNice(raw: string, name: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < 0 || n > 19) throw new Error(`${name} must be a whole number from 0 to 19, not "${raw}".`);
  return n;
}

/** Whether this process leads its own session (the console starts engines and trainers that way). */
function leadsOwnSession(): boolean {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // After "pid (comm) ": state, ppid, pgrp, session.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]) === process.pid;
  } catch {
    return false;
  }
}

/**
 * Lowers this process's priority to `nice` (1-19; 0 leaves it as it is). On Linux both levels that the
 * scheduler weighs: every thread's nice value (setpriority acts on one thread there, and a thread made
 * later inherits its maker's), and the autogroup's, which weighs the whole session against the
 * console's. The autogroup only when this process leads its session: started from a terminal
 * (`npm run engine`), the session is the terminal's, and its shell must keep its priority. Best
 * effort: where either is missing, the other stands.
 */
export function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  if (leadsOwnSession()) {
    try {
      writeFileSync("/proc/self/autogroup", String(nice));
    } catch {
      // no autogroup scheduling here (another OS, or the kernel's sched_autogroup is off)
    }
  }
  let threads: number[] = [0];
  try {
    threads = readdirSync("/proc/self/task").map(Number);
  } catch {
    // not Linux: setpriority(0) covers the process
  }
  for (const tid of threads) {
    try {
      setPriority(tid, nice);
    } catch {
      // the thread ended meanwhile, or a higher nice was already set
    }
  }
}
