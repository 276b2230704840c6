import { spawn } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

// Signals belong to the host: the manager once re-raised SIGTERM when it saw no other listener,
// killing the console before its shutdown had written queued usage rows (issue 8, defect 3).
it("an engine manager never cuts short its host's own SIGTERM handling", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fixtures", "host-with-shutdown.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  const ready = new Promise<void>((resolve) =>
    child.stdout.on("data", (d: string) => {
      out += d;
      if (out.includes("ready")) resolve();
    }),
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  await ready;
  child.kill("SIGTERM");
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(out).toContain("host shutdown finished");
});
