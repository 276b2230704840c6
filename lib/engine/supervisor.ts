// The one engine supervisor of the process: a single EngineManager that runs every engine child,
// whether started on demand for a local model (here) or as a deployment replica (lib/deployments).
// Sharing it keeps one view of the running engines, one set of process handlers and one shutdown.
//
//   getEngineSupervisor()            the EngineManager (lib/engine/manager.ts), created on first use
//   ensureLocalEngine(name)          base URL of local model `name`'s engine, started on first use
//                                    (a LoRA model: its base with the adapter, see local-models.ts)
//   localEngineState(name)           idle / starting / ready / failed (with why) for the models page
//   clearLocalEngineFailures(name?)  forget a failure so the next use tries again (Rescan, Retry)
//   stopAllEngines()                 stops every engine (shutdown, tests)
import { stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { engineMaxRestarts, engineNice, engineParallel, engineStandby, engineThreads } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";
import { ggufValue, readGguf } from "@/lib/gguf/reader";
import { localEngineFiles, localModelPath, modelsDir } from "./local-models";
import { EngineManager, type EngineInfo } from "./manager";

interface Supervisor {
  manager: EngineManager;
  /** Local engines being started, so concurrent first calls share one start. */
  starting: Map<string, Promise<string>>;
  /** Why a local engine failed, and the file's mtime then: not retried until the file changes or the failure is cleared. */
  failures: Map<string, { error: string; fileMtimeMs: number }>;
}

const KEY = "kindling.engine-supervisor";
// One per process: Next.js loads instrumentation, route handlers and pages as separate module graphs.
function supervisor(): Supervisor {
  return processSingleton(KEY, (): Supervisor => ({
    manager: new EngineManager({
      threads: engineThreads(),
      nice: engineNice(),
      maxRestarts: engineMaxRestarts(),
      standby: engineStandby(),
      // Inside the Next bundle import.meta.url does not point at the source, so name the CLI by path.
      cliPath: path.join(/*turbopackIgnore: true*/ process.cwd(), "lib/engine/cli.ts"),
    }),
    starting: new Map(),
    failures: new Map(),
  }));
}

/** The process's EngineManager: every engine child of this console runs under it. */
export function getEngineSupervisor(): EngineManager {
  return supervisor().manager;
}

/** Stops every engine of this process (orderly shutdown, tests); the supervisor stays usable. */
export async function stopAllEngines(): Promise<void> {
  const s = supervisor();
  s.failures.clear();
  await s.manager.stopAll();
}

// ---- local models, started on demand ------------------------------------------------------------

export function localEngineId(name: string): string {
  return `local:${name}`;
}

export type LocalEngineState = { status: "idle" | "starting" | "ready" } | { status: "failed"; error: string };

/** What this process knows about the engine of local model `name` (idle until first use). */
export function localEngineState(name: string): LocalEngineState {
  const s = supervisor();
  const id = localEngineId(name);
  if (s.starting.has(id)) return { status: "starting" };
  const failure = s.failures.get(id);
  if (failure) return { status: "failed", error: failure.error };
  const info = s.manager.get(id);
  if (!info || info.status === "stopped") return { status: "idle" };
  if (info.status === "failed") return { status: "failed", error: info.error ?? "it stopped after repeated crashes" };
  return { status: info.status === "ready" ? "ready" : "starting" };
}

/**
 * Forgets why local model `name` (or every local model) failed, so its next use starts the engine again.
 * A failed engine otherwise stays down until its file changes: a crash loop must not restart forever.
 */
export async function clearLocalEngineFailures(name?: string): Promise<string[]> {
  const s = supervisor();
  const ids = name === undefined ? null : new Set([localEngineId(name)]);
  const cleared = new Set<string>();
  for (const id of [...s.failures.keys()]) {
    if (ids && !ids.has(id)) continue;
    s.failures.delete(id);
    cleared.add(id);
  }
  for (const info of s.manager.list()) {
    if (!info.id.startsWith("local:") || (ids && !ids.has(info.id)) || info.status !== "failed") continue;
    await s.manager.remove(info.id);
    cleared.add(info.id);
  }
  return [...cleared].map((id) => id.slice("local:".length)).sort();
}

function unavailable(name: string, error: string): AppError {
  return new AppError("UNAVAILABLE", `The local model ${name} could not be started: ${error}`);
}

function waitForSettled(manager: EngineManager, id: string, timeoutMs: number): Promise<EngineInfo> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      manager.off("status", onStatus);
      resolve(manager.get(id)!);
    }, timeoutMs);
    const onStatus = (info: EngineInfo) => {
      if (info.id !== id || info.status === "starting" || info.status === "restarting") return;
      clearTimeout(timer);
      manager.off("status", onStatus);
      resolve(info);
    };
    manager.on("status", onStatus);
  });
}

/**
 * The OpenAI base URL of the engine serving local model `name`, starting it on first use.
 * UNAVAILABLE when the file is missing or the model does not load (not retried until the file
 * changes or the failure is cleared).
 */
export function ensureLocalEngine(name: string, dir: string = modelsDir()): Promise<string> {
  const s = supervisor();
  const id = localEngineId(name);
  const info = s.manager.get(id);
  if (info?.status === "ready" && info.baseUrl) return Promise.resolve(info.baseUrl);
  // Registered before the first await, so concurrent first calls (four panels on one model) share
  // one start instead of racing to start the same engine.
  const pending = s.starting.get(id);
  if (pending) return pending;
  const started = startLocalEngine(s, id, name, dir).finally(() => s.starting.delete(id));
  s.starting.set(id, started);
  return started;
}

async function startLocalEngine(s: Supervisor, id: string, name: string, dir: string): Promise<string> {
  const file = localModelPath(name, dir);
  let info = s.manager.get(id);
  if (info?.status === "restarting" || info?.status === "starting") {
    info = await waitForSettled(s.manager, id, 60_000);
    if (info.status === "ready" && info.baseUrl) return info.baseUrl;
  }
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch {
    throw new AppError("UNAVAILABLE", `The local model file ${name}.gguf is missing from ${dir}.`);
  }
  if (info?.status === "failed" && !s.failures.has(id)) s.failures.set(id, { error: info.error ?? "it crashed repeatedly", fileMtimeMs: mtimeMs });
  const failure = s.failures.get(id);
  if (failure && failure.fileMtimeMs === mtimeMs) throw unavailable(name, failure.error);
  s.failures.delete(id);
  // A LoRA model (a sidecar names its base) runs its base with the adapter applied.
  let files: Awaited<ReturnType<typeof localEngineFiles>>;
  try {
    files = await localEngineFiles(name, dir);
  } catch (error) {
    const message = (error as Error).message;
    s.failures.set(id, { error: message, fileMtimeMs: mtimeMs });
    throw unavailable(name, message);
  }
  // Check the headers here first: the engine process can hang on a file that is not GGUF at all.
  for (const [what, path] of [[files.base === null ? "its file" : `its base ${files.base}`, files.modelPath], ...files.loras.map((l) => ["its adapter file", l.path])]) {
    try {
      const gguf = await readGguf(path);
      if (what === "its adapter file" && ggufValue(gguf, "general.type") !== "adapter") throw new Error("it is not a LoRA adapter");
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      const message = missing ? `${what} is missing from ${dir}` : `${what} is not a readable GGUF ${what === "its adapter file" ? "adapter" : "model"} (${(error as Error).message})`;
      s.failures.set(id, { error: message, fileMtimeMs: mtimeMs });
      throw unavailable(name, message);
    }
  }
  try {
    const ready = await s.manager.start({ id, modelPath: files.modelPath, modelId: name, parallel: engineParallel(), loras: files.loras });
    return ready.baseUrl!;
  } catch (error) {
    s.failures.set(id, { error: (error as Error).message, fileMtimeMs: mtimeMs });
    throw unavailable(name, (error as Error).message);
  }
}
