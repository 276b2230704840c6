// lowerPriority in a real child process: every thread's nice value, and (where the kernel schedules by
// autogroup) the session's, read back from /proc by the parent.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const linux = existsSync("/proc/self/task");
const autogroup = linux && existsSync("/proc/sys/kernel/sched_autogroup_enabled") && readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1";
const priority = fileURLToPath(new URL("./priority.ts", import.meta.url));
// Children start at this process's nice value (a CI runner may itself run lowered); they are asked to
// go 3 lower than that.
const BASE = getPriority();
const LOWER = Math.min(19, BASE + 3);

/** Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the command in parentheses). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

// A child with a worker thread made before the call, told which nice value to take; it reports, then
// waits to be read. `ownSession`: in a session of its own, as the console starts engines and trainers.
const CHILD = `
  import { Worker } from "node:worker_threads";
  import { lowerPriority } from ${JSON.stringify(priority)};
  new Worker("setInterval(() => {}, 1000)", { eval: true });
  process.stdin.once("data", (d) => { lowerPriority(Number(d)); process.stdout.write("done\\n"); });`;

async function run(nice: number, ownSession: boolean): Promise<{ threads: number[]; group: string | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], { stdio: ["pipe", "pipe", "inherit"], detached: ownSession });
  try {
    await new Promise((r) => setTimeout(r, 300)); // the worker thread exists
    child.stdin.write(String(nice));
    await new Promise<void>((resolve, reject) => {
      child.stdout.once("data", () => resolve());
      child.once("exit", (c) => reject(new Error(`child exited with ${c}`)));
    });
    return { threads: threadNices(child.pid!), group: autogroup ? readFileSync(`/proc/${child.pid}/autogroup`, "utf8") : null };
  } finally {
    child.kill("SIGKILL");
  }
}

describe.runIf(linux)("lowerPriority", () => {
  it("lowers every thread of a session leader and its autogroup, and 0 leaves them alone", async () => {
    const lowered = await run(LOWER, true);
    expect(lowered.threads.length).toBeGreaterThan(2);
    expect(new Set(lowered.threads)).toEqual(new Set([LOWER]));
    if (autogroup) expect(lowered.group).toMatch(new RegExp(`nice ${LOWER}$`, "m"));
    const untouched = await run(0, true);
    expect(new Set(untouched.threads)).toEqual(new Set([BASE]));
    if (autogroup) expect(untouched.group).toMatch(/nice 0$/m);
  }, 30_000);

  it("started inside another session (a terminal's), lowers its own threads but not that session's autogroup", async () => {
    const ours = autogroup ? readFileSync("/proc/self/autogroup", "utf8") : null;
    const inside = await run(LOWER, false);
    expect(new Set(inside.threads)).toEqual(new Set([LOWER]));
    if (autogroup) {
      expect(inside.group).toBe(ours); // the test's own group, its nice unchanged
      expect(readFileSync("/proc/self/autogroup", "utf8")).toBe(ours);
    }
  }, 30_000);
});
