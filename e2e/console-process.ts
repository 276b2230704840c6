// `npm start` (lib/start/cli.ts) as a real child process, for the tests about starting and stopping.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect } from "@playwright/test";

const root = process.cwd();

export interface ConsoleProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export function startConsole(port: number, env: Record<string, string>): ConsoleProcess {
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["lib/start/cli.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), KINDLING_HOST: "127.0.0.1", KINDLING_PUBLIC_URL: baseUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, baseUrl, exited, output: () => output };
}

export async function waitHealthy(proc: ConsoleProcess, timeout = 240_000): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${proc.baseUrl}/api/health`).catch(() => null))?.status ?? 0, { timeout, intervals: [250] })
    .toBe(200);
}
