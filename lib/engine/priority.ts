// The engine's CPU priority. Model compute is batch work: when the console (routing, metering, pages)
// and an engine want the same core, the console's few milliseconds should go first, or every gateway
// request waits behind a decode step. The console starts its engines with `--nice` (KINDLING_ENGINE_NICE,
// default 10); the engine lowers its own priority, which needs no privilege.
import { readdirSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers this process's priority to `nice` (1-19; 0 leaves it as it is). On Linux both levels that the
 * scheduler weighs: every thread's nice value (setpriority acts on one thread there, and a thread made
 * later inherits its maker's), and the autogroup's, which weighs the whole session (the engine runs in
 * a session of its own) against the console's. Best effort: where either is missing, the other stands.
 */
export function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  try {
    writeFileSync("/proc/self/autogroup", String(nice));
  } catch {
    // no autogroup scheduling here (another OS, or the kernel's sched_autogroup is off)
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
