// Runs engine processes as children of the console: free loopback ports, readiness, health checks,
// restarts with backoff, and no orphans.
//
// API (small on purpose):
//   const manager = new EngineManager({ threads?, restartBackoffMs?, maxRestarts?, healthIntervalMs?, cliPath?, ... });
//   await manager.start({ id, modelPath, modelId?, threads?, parallel?, queue?, ctx?, loras? }) -> EngineInfo
//       resolves once the engine answers /health; rejects (status "failed") when the model cannot load.
//   manager.get(id) / manager.list() -> EngineInfo { id, status, baseUrl, port, pid, restarts, error,
//       startedAt, readyAt, readyMs, lastExit { code, signal, at, logTail } }
//       baseUrl is "http://127.0.0.1:<port>/v1"; it may change after a restart, so read it per call.
//   Several engines may serve one model file (replicas): each has its own id, port, process and
//   spec (threads, parallel, ctx, LoRA adapters).
//   manager.on("status", (info) => ...)  every status change: starting, ready, restarting, failed, stopped.
//   await manager.stop(id) / await manager.remove(id) (stop and forget) / await manager.stopAll()
//   await manager.dispose() (also drops the process handlers)
// A child crash never throws in the parent. Children exit when the parent dies (their stdin closes),
// and the manager kills them when the parent exits; it never handles the parent's signals.

import { ENGINE_WATCH_STDIN, engineCliOverride } from "@/lib/env";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { get } from "node:http";
import { dirname, join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

export type EngineStatus = "starting" | "ready" | "restarting" | "failed" | "stopped";

export interface EngineSpec {
  /** The manager's key for this engine (e.g. a deployment replica id). */
  id: string;
  modelPath: string;
  /** Model id the engine serves; default the file name without .gguf. */
  modelId?: string;
  threads?: number;
  parallel?: number;
  queue?: number;
  ctx?: number;
  loras?: { path: string; scale?: number }[];
}

export interface EngineInfo {
  id: string;
  status: EngineStatus;
  /** OpenAI base URL, e.g. http://127.0.0.1:41234/v1 (undefined until ready). */
  baseUrl?: string;
  port?: number;
  pid?: number;
  /** Restarts after crashes since the engine was started. */
  restarts: number;
  /** Why the engine failed or last crashed. */
  error?: string;
  /** When the current process was spawned (ISO time). */
  startedAt?: string;
  /** When it last became ready (ISO time), and how long that took from spawn. */
  readyAt?: string;
  readyMs?: number;
  /** How the last child process ended, unless it was stopped on purpose. */
  lastExit?: EngineExit;
  spec: EngineSpec;
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: string;
  /** The last lines the child wrote to stderr (llama.cpp and engine logs), oldest first. */
  logTail: string[];
}

/** Lines of a child's stderr kept for EngineExit.logTail. */
export const LOG_TAIL_LINES = 40;

export interface EngineManagerOptions {
  /** Default threads per engine process (1 suits a small shared machine). */
  threads?: number;
  /** The lower CPU priority (0-19) engines give themselves, so this process goes first (priority.ts). */
  nice?: number;
  /** First restart delay; doubles per consecutive crash up to maxRestartBackoffMs. */
  restartBackoffMs?: number;
  maxRestartBackoffMs?: number;
  /** Consecutive crashes before the engine is marked failed. */
  maxRestarts?: number;
  /** Time allowed for a model to load. */
  readyTimeoutMs?: number;
  /** Interval of /health checks; 3 misses in a row kill and restart the engine. 0 disables. */
  healthIntervalMs?: number;
  /** How long one /health check may take before it counts as a miss. */
  healthTimeoutMs?: number;
  /** Path of lib/engine/cli.ts when the default (beside this file) cannot be found, e.g. in a bundle. */
  cliPath?: string;
  /**
   * Keep one engine process waiting with llama.cpp loaded but no model (cli.ts --standby), and give
   * the next start to it: a start then costs the model's load, not seconds of process start-up.
   */
  standby?: boolean;
}

type EngineChild = ChildProcessByStdio<Writable, Readable, Readable>;

interface Entry {
  info: EngineInfo;
  child?: EngineChild;
  stderrTail: string[];
  stopping: boolean;
  consecutiveCrashes: number;
  readySince?: number;
  spawnedAt?: number;
  restartTimer?: NodeJS.Timeout;
  healthTimer?: NodeJS.Timeout;
  healthMisses: number;
}

const STABLE_AFTER_MS = 30_000;

function resolveCliPath(explicit?: string): string {
  const candidates = [
    explicit,
    engineCliOverride(),
    (() => {
      try {
        return join(dirname(fileURLToPath(import.meta.url)), "cli.ts");
      } catch {
        return undefined;
      }
    })(),
    join(process.cwd(), "lib", "engine", "cli.ts"),
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error("cannot find lib/engine/cli.ts; pass cliPath to EngineManager");
  return resolve(found);
}

export class EngineManager extends EventEmitter {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: Required<Omit<EngineManagerOptions, "cliPath">>;
  /** The waiting engine process (option `standby`); `ready` once it has loaded llama.cpp. */
  private standby?: { child: EngineChild; ready: boolean; onStdout: (data: string) => void };
  private standbyTimer?: NodeJS.Timeout;
  private disposed = false;
  private readonly cliPath: string;
  private readonly repoRoot: string;
  // Only "exit": signals belong to the host process (the console's ordered shutdown stops engines
  // itself). A host killed by a signal it does not handle still leaves no orphan: children watch stdin.
  private readonly onExit = () => this.killAllNow();

  constructor(options: EngineManagerOptions = {}) {
    super();
    this.opts = {
      threads: options.threads ?? 1,
      nice: options.nice ?? 0,
      restartBackoffMs: options.restartBackoffMs ?? 500,
      maxRestartBackoffMs: options.maxRestartBackoffMs ?? 30_000,
      maxRestarts: options.maxRestarts ?? 5,
      readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
      healthIntervalMs: options.healthIntervalMs ?? 5_000,
      healthTimeoutMs: options.healthTimeoutMs ?? 3_000,
      standby: options.standby ?? false,
    };
    this.cliPath = resolveCliPath(options.cliPath);
    this.repoRoot = resolve(dirname(this.cliPath), "..", "..");
    process.on("exit", this.onExit);
    if (this.opts.standby) this.spawnStandby();
  }

  /** The standby engine's pid once it waits for a model (tests, diagnostics). */
  get standbyPid(): number | undefined {
    return this.standby?.ready ? this.standby.child.pid : undefined;
  }

  private spawnEngine(args: string[]): EngineChild {
    return spawn(process.execPath, ["--import", "tsx", this.cliPath, ...args], {
      cwd: this.repoRoot,
      env: { ...process.env, [ENGINE_WATCH_STDIN]: "1" },
      stdio: ["pipe", "pipe", "pipe"],
      // Its own session, so Linux's autogroup scheduling gives the engine its own CPU share instead of
      // splitting the console's with training jobs. It still exits with us: it watches its stdin.
      detached: true,
    });
  }

  private spawnStandby(): void {
    clearTimeout(this.standbyTimer);
    if (this.disposed || this.standby) return;
    const child = this.spawnEngine(["--standby"]);
    const standby = { child, ready: false, onStdout: (data: string) => {
      if (data.includes('"event":"standby"')) standby.ready = true;
    } };
    this.standby = standby;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", standby.onStdout);
    child.stderr.resume();
    child.stdin.on("error", () => {});
    child.on("error", () => {});
    child.on("exit", () => {
      if (this.standby !== standby) return;
      // It died waiting (it should not): try again later rather than in a loop.
      this.standby = undefined;
      this.standbyTimer = setTimeout(() => this.spawnStandby(), 10_000);
      this.standbyTimer.unref();
    });
  }

  /**
   * Hands the standby engine its arguments and returns it, or undefined when there is none. One still
   * loading llama.cpp is taken too: it reads them when it gets there, sooner than a new process would.
   */
  private takeStandby(args: string[]): EngineChild | undefined {
    const standby = this.standby;
    if (!standby || standby.child.exitCode !== null || standby.child.signalCode !== null) return undefined;
    this.standby = undefined;
    standby.child.stdout.off("data", standby.onStdout);
    standby.child.removeAllListeners("exit");
    standby.child.removeAllListeners("error");
    standby.child.stdin.write(`${JSON.stringify(args)}\n`);
    // The next one starts once this start had its share of the CPU.
    this.standbyTimer = setTimeout(() => this.spawnStandby(), 2_000);
    this.standbyTimer.unref();
    return standby.child;
  }

  get(id: string): EngineInfo | undefined {
    const e = this.entries.get(id);
    return e ? { ...e.info } : undefined;
  }

  list(): EngineInfo[] {
    return [...this.entries.values()].map((e) => ({ ...e.info }));
  }

  /** Starts an engine and resolves once it is ready; rejects with the load error when it fails. */
  start(spec: EngineSpec): Promise<EngineInfo> {
    const existing = this.entries.get(spec.id);
    if (existing && existing.info.status !== "stopped" && existing.info.status !== "failed") {
      return Promise.reject(new Error(`engine "${spec.id}" is already running`));
    }
    const entry: Entry = {
      info: { id: spec.id, status: "starting", restarts: 0, spec },
      stderrTail: [],
      stopping: false,
      consecutiveCrashes: 0,
      healthMisses: 0,
    };
    this.entries.set(spec.id, entry);
    return new Promise<EngineInfo>((resolvePromise, reject) => {
      const onStatus = (info: EngineInfo) => {
        if (info.id !== spec.id) return;
        if (info.status === "ready") {
          this.off("status", onStatus);
          resolvePromise(info);
        } else if (info.status === "failed" || info.status === "stopped") {
          this.off("status", onStatus);
          reject(new Error(info.error ?? `engine "${spec.id}" ${info.status}`));
        }
      };
      this.on("status", onStatus);
      this.launch(entry);
    });
  }

  async stop(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.stopping = true;
    clearTimeout(entry.restartTimer);
    clearInterval(entry.healthTimer);
    const child = entry.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    this.setStatus(entry, { status: "stopped", baseUrl: undefined, port: undefined, pid: undefined });
  }

  /** Stops the engine and forgets it, so get(id) is undefined and the id can be started afresh. */
  async remove(id: string): Promise<void> {
    await this.stop(id);
    this.entries.delete(id);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.stop(id)));
  }

  /** Stops all engines and removes the exit handler (for tests and orderly shutdown). */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.standbyTimer);
    const standby = this.standby?.child;
    this.standby = undefined;
    if (standby && standby.exitCode === null && standby.signalCode === null) {
      const exited = new Promise<void>((r) => standby.once("exit", () => r()));
      standby.kill("SIGKILL");
      await exited;
    }
    await this.stopAll();
    this.detachProcessHandlers();
  }

  private detachProcessHandlers(): void {
    process.off("exit", this.onExit);
  }

  private killAllNow(): void {
    if (this.standby?.child.exitCode === null) this.standby.child.kill("SIGKILL");
    for (const e of this.entries.values()) {
      e.stopping = true;
      clearTimeout(e.restartTimer);
      clearInterval(e.healthTimer);
      if (e.child && e.child.exitCode === null) e.child.kill("SIGKILL");
    }
  }

  private setStatus(entry: Entry, patch: Partial<EngineInfo>): void {
    entry.info = { ...entry.info, ...patch };
    this.emit("status", { ...entry.info });
  }

  private args(spec: EngineSpec): string[] {
    const args = ["--model", resolve(spec.modelPath), "--port", "0", "--host", "127.0.0.1"];
    args.push("--threads", String(spec.threads ?? this.opts.threads));
    if (this.opts.nice > 0) args.push("--nice", String(this.opts.nice));
    if (spec.modelId) args.push("--id", spec.modelId);
    if (spec.parallel) args.push("--parallel", String(spec.parallel));
    if (spec.queue !== undefined) args.push("--queue", String(spec.queue));
    if (spec.ctx) args.push("--ctx", String(spec.ctx));
    for (const l of spec.loras ?? []) args.push("--lora", `${resolve(l.path)}${l.scale === undefined ? "" : `:${l.scale}`}`);
    return args;
  }

  private launch(entry: Entry): void {
    const spec = entry.info.spec;
    entry.stderrTail = [];
    entry.healthMisses = 0;
    const args = this.args(spec);
    const child = (this.opts.standby ? this.takeStandby(args) : undefined) ?? this.spawnEngine(args);
    entry.child = child;
    const spawnedAt = Date.now();
    entry.spawnedAt = spawnedAt;
    this.setStatus(entry, { pid: child.pid, startedAt: new Date(spawnedAt).toISOString(), readyAt: undefined, readyMs: undefined });
    let failedLine: string | undefined;
    let ready = false;
    const readyTimer = setTimeout(() => {
      if (!ready) {
        failedLine = `the engine did not become ready within ${this.opts.readyTimeoutMs} ms`;
        child.kill("SIGKILL");
      }
    }, this.opts.readyTimeoutMs);

    let stdoutBuf = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (data: string) => {
      stdoutBuf += data;
      let nl: number;
      while ((nl = stdoutBuf.indexOf("\n")) >= 0) {
        const line = stdoutBuf.slice(0, nl);
        stdoutBuf = stdoutBuf.slice(nl + 1);
        let event: { event?: string; port?: number; error?: string };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          continue;
        }
        if (event.event === "failed") failedLine = event.error ?? "the model failed to load";
        if (event.event === "ready" && typeof event.port === "number") {
          ready = true;
          clearTimeout(readyTimer);
          void this.confirmReady(entry, child, event.port);
        }
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (data: string) => {
      entry.stderrTail.push(...data.split("\n").filter(Boolean));
      if (entry.stderrTail.length > LOG_TAIL_LINES) entry.stderrTail.splice(0, entry.stderrTail.length - LOG_TAIL_LINES);
    });
    child.stdin.on("error", () => {});
    child.on("error", (error) => {
      failedLine = `could not start the engine process: ${error.message}`;
      // Without a pid there will be no exit event to report it.
      if (child.pid === undefined && entry.child === child) {
        clearTimeout(readyTimer);
        entry.child = undefined;
        this.setStatus(entry, { status: "failed", error: failedLine, pid: undefined });
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(readyTimer);
      clearInterval(entry.healthTimer);
      if (entry.child !== child) return;
      entry.child = undefined;
      if (entry.stopping) return;
      const lastExit: EngineExit = { code, signal, at: new Date().toISOString(), logTail: [...entry.stderrTail] };
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const detail = failedLine ?? entry.stderrTail.slice(-5).join("\n");
      const error = `engine process ${how}${detail ? `: ${detail}` : ""}`;
      const everReady = entry.readySince !== undefined || entry.info.restarts > 0;
      if (!everReady) {
        // A model that never loaded will not load on retry: report it instead of looping.
        this.setStatus(entry, { status: "failed", error, lastExit, baseUrl: undefined, port: undefined, pid: undefined });
        return;
      }
      if (entry.readySince !== undefined && Date.now() - entry.readySince > STABLE_AFTER_MS) entry.consecutiveCrashes = 0;
      entry.readySince = undefined;
      entry.consecutiveCrashes++;
      if (entry.consecutiveCrashes > this.opts.maxRestarts) {
        this.setStatus(entry, { status: "failed", error: `${error} (after ${this.opts.maxRestarts} restarts)`, lastExit, baseUrl: undefined, port: undefined, pid: undefined });
        return;
      }
      const delay = Math.min(this.opts.restartBackoffMs * 2 ** (entry.consecutiveCrashes - 1), this.opts.maxRestartBackoffMs);
      this.setStatus(entry, { status: "restarting", error, lastExit, baseUrl: undefined, port: undefined, pid: undefined });
      entry.restartTimer = setTimeout(() => {
        if (entry.stopping) return;
        entry.info.restarts++;
        this.launch(entry);
      }, delay);
    });
  }

  private async confirmReady(entry: Entry, child: Entry["child"], port: number): Promise<void> {
    const ok = await this.checkHealth(port);
    if (entry.child !== child || entry.stopping) return;
    if (!ok) {
      child?.kill("SIGKILL");
      return;
    }
    entry.readySince = Date.now();
    const readyMs = entry.spawnedAt === undefined ? undefined : entry.readySince - entry.spawnedAt;
    this.setStatus(entry, { status: "ready", port, baseUrl: `http://127.0.0.1:${port}/v1`, error: undefined, readyAt: new Date(entry.readySince).toISOString(), readyMs });
    if (this.opts.healthIntervalMs > 0) {
      entry.healthTimer = setInterval(() => {
        void this.checkHealth(port).then((healthy) => {
          if (entry.child !== child) return;
          entry.healthMisses = healthy ? 0 : entry.healthMisses + 1;
          if (entry.healthMisses >= 3) child?.kill("SIGKILL");
        });
      }, this.opts.healthIntervalMs);
      entry.healthTimer.unref();
    }
  }

  /** GET /health over node:http (not fetch, which a host framework may patch). */
  private checkHealth(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const req = get({ host: "127.0.0.1", port, path: "/health", timeout: this.opts.healthTimeoutMs, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
    });
  }
}
