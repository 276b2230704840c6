// What the bench scripts that need a running console share: start `npm start`'s server on a data
// directory of their own (with an admin from KINDLING_ADMIN_*), wait for it, sign in, call a server
// action as the browser would, and stop it with SIGTERM (which flushes the usage queue).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
export const BENCH_ADMIN = { email: "bench@kindling.test", password: "bench-password-1" };

export interface BenchConsole {
  base: string;
  /** The console server's own process (node itself, not a wrapper; engines are its descendants). */
  pid: number;
  /** The admin's session cookie. */
  cookie: string;
  callAction(page: string, file: string, name: string, args: unknown): Promise<string>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** CPU seconds (user + system) used so far by the console's processes, engines excluded. */
  cpuSeconds(): number;
}

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux x86_64). */
const USER_HZ = 100;

/**
 * A thread's time on a core and its time runnable but waiting for one, in ms (Linux's
 * /proc/<pid>/task/<tid>/schedstat; the process's own pid is its main thread, which runs the event loop).
 * Null where the kernel does not keep it. Waiting is what a saturated machine adds to a request.
 */
export function schedMs(pid: number, tid = pid): { runMs: number; waitMs: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { runMs: run / 1e6, waitMs: wait / 1e6 } : null;
  } catch {
    return null;
  }
}

/** CPU seconds used by `pid` and its descendants, skipping processes whose command line matches `skip` (none by default). */
export function treeCpuSeconds(pid: number, skip?: RegExp): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(f[1]);
      ticks.set(Number(entry), Number(f[11]) + Number(f[12]));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process exited while we read
    }
  }
  let total = 0;
  const walk = (p: number) => {
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      return;
    }
    if (skip?.test(cmd)) return;
    total += ticks.get(p) ?? 0;
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return total / USER_HZ;
}

/** The id Next gave a server action in this build. */
function actionId(file: string, exportName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportName);
  if (!entry) throw new Error(`no ${exportName} in this build; run npx next build`);
  return entry[0];
}

async function postAction(base: string, page: string, file: string, name: string, args: unknown, cookie = ""): Promise<Response> {
  return fetch(`${base}${page}`, {
    method: "POST",
    headers: { "Next-Action": actionId(file, name), Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", Origin: base, cookie },
    body: JSON.stringify([args]),
    redirect: "manual",
  });
}

async function waitHealthy(base: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (server.exitCode !== null) throw new Error(`the console exited with code ${server.exitCode}`);
    const r = await fetch(`${base}/api/health`).catch(() => null);
    if (r?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the console did not start in 5 minutes");
}

/** Starts the built console on `port` with `dataDir`; `env` adds to (or, with "", clears) variables. */
export async function startBenchConsole(options: { port: number; dataDir: string; env?: Record<string, string>; ownSession?: boolean }): Promise<BenchConsole> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No build: run `npx next build` first.");
  const base = `http://127.0.0.1:${options.port}`;
  // BENCH_CPU_PROFILE=<dir>: the console writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`] : [];
  // node directly (not through tsx's wrapper) so that `pid` is the server's own.
  const server = spawn(process.execPath, [...profile, "--import", "tsx", "lib/start/cli.ts"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      KINDLING_DATA_DIR: options.dataDir,
      PORT: String(options.port),
      KINDLING_HOST: "127.0.0.1",
      KINDLING_PUBLIC_URL: base,
      KINDLING_ADMIN_EMAIL: BENCH_ADMIN.email,
      KINDLING_ADMIN_PASSWORD: BENCH_ADMIN.password,
      DATABASE_URL: "",
      ...options.env,
    },
    // ownSession: the console in a session of its own, as when it is started from its own terminal or by
    // a service manager, so that Linux's autogroup scheduling does not split one CPU share between it
    // and this process's load generator (clients of a real console run elsewhere).
    detached: options.ownSession ?? false,
  });
  // A console in its own session does not get the terminal's signals: it goes when this process does.
  const orphanGuard = () => server.kill("SIGKILL");
  if (options.ownSession) process.once("exit", orphanGuard);
  const stop = async () => {
    process.off("exit", orphanGuard);
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  try {
    await waitHealthy(base, server);
    const signIn = await postAction(base, "/login", "app/(auth)/actions.ts", "signInAction", BENCH_ADMIN);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (!cookie) throw new Error("sign-in set no cookie");
    return {
      base,
      pid: server.pid!,
      cookie,
      stop,
      cpuSeconds: () => treeCpuSeconds(server.pid!, /lib\/engine\/cli\.ts/),
      callAction: async (page, file, name, args) => {
        const r = await postAction(base, page, file, name, args, cookie);
        const text = await r.text();
        if (!r.ok || text.includes('"ok":false')) throw new Error(`${name} failed: ${r.status} ${text.slice(0, 300)}`);
        return text;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs `body` against a console on a data directory of its own (`prepare` fills it first, e.g. with a
 * model), then stops the console and removes the directory, whether `body` succeeded or not.
 */
export async function withBenchConsole<T>(
  options: { port: number; name: string; env?: Record<string, string>; prepare?: (dataDir: string) => Promise<void> },
  body: (server: BenchConsole) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `kindling-bench-${options.name}-`));
  let server: BenchConsole | null = null;
  try {
    await options.prepare?.(dataDir);
    server = await startBenchConsole({ port: options.port, dataDir, env: options.env });
    return await body(server);
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
