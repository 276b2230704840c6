// lowerPriority in a real child process: every thread's nice value, and (where the kernel schedules by
// autogroup) the session's, read back from /proc by the parent.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const linux = existsSync("/proc/self/task");
const autogroup = linux && existsSync("/proc/sys/kernel/sched_autogroup_enabled") && readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1";
const priority = fileURLToPath(new URL("./priority.ts", import.meta.url));

/** Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the command in parentheses). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe.runIf(linux)("lowerPriority", () => {
  it("lowers every thread of the process and its autogroup, and 0 leaves them alone", async () => {
    // A child in a session of its own (as the manager starts engines), with a worker thread made
    // before the call, then told which nice value to take; it reports, then waits to be read.
    const code = `
      import { Worker } from "node:worker_threads";
      import { lowerPriority } from ${JSON.stringify(priority)};
      new Worker("setInterval(() => {}, 1000)", { eval: true });
      process.stdin.once("data", (d) => { lowerPriority(Number(d)); process.stdout.write("done\\n"); });`;
    const run = async (nice: number) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["pipe", "pipe", "inherit"], detached: true });
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
    };
    const lowered = await run(7);
    expect(lowered.threads.length).toBeGreaterThan(2);
    expect(new Set(lowered.threads)).toEqual(new Set([7]));
    if (autogroup) expect(lowered.group).toMatch(/nice 7$/m);
    const untouched = await run(0);
    expect(new Set(untouched.threads)).toEqual(new Set([0]));
    if (autogroup) expect(untouched.group).toMatch(/nice 0$/m);
  }, 30_000);
});
