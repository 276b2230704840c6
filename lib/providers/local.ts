// The built-in local provider: one row created at start, models = the *.gguf files under
// $KINDLING_DATA_DIR/models, each served by an engine child process started on first use and reused.
import { constants } from "node:fs";
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { models, providers } from "@/db/schema";
import { EngineManager, type EngineInfo } from "@/lib/engine/manager";
import { listModelFiles } from "@/lib/engine/model-files";
import { dataDir } from "@/lib/env";
import { readGguf } from "@/lib/gguf/reader";
import { AppError } from "@/lib/errors";
import { addPrice } from "@/lib/models/prices";
import { invalidateModelTargets } from "./target-cache";

export const LOCAL_PROVIDER_ID = "local";
export const LOCAL_PROVIDER_NAME = "Local engine";
export const LOCAL_MODEL_TAG = "local";

export function modelsDir(): string {
  return path.join(dataDir(), "models");
}

/** Where the starter model is kept (assets/starter, built by lib/training/starter); it may not exist in every checkout. */
export function starterModelSource(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "assets", "starter", "kindling-starter.gguf");
}

export function localModelPath(name: string, dir: string = modelsDir()): string {
  // Names come from file names in `dir`, but a row could be edited by hand: never leave the directory.
  const file = path.join(dir, `${name}.gguf`);
  if (path.dirname(file) !== path.resolve(/*turbopackIgnore: true*/ dir)) throw new AppError("VALIDATION", `"${name}" is not a model file name.`);
  return file;
}

export async function ensureLocalProvider(db: Tx): Promise<void> {
  await db.insert(providers).values({ id: LOCAL_PROVIDER_ID, name: LOCAL_PROVIDER_NAME, kind: "local", baseUrl: null }).onConflictDoNothing();
}

/** Copies the starter model into the models directory once; false when there is none to copy. */
export async function installStarterModel(dir: string = modelsDir(), source: string = starterModelSource()): Promise<boolean> {
  try {
    await stat(source);
  } catch {
    return false;
  }
  const dest = path.join(dir, path.basename(source));
  try {
    await stat(dest);
    return false;
  } catch {
    // not there yet
  }
  await mkdir(dir, { recursive: true });
  // Copy beside it, then rename: a half-copied file must never look like a model.
  const partial = `${dest}.partial-${process.pid}`;
  try {
    await copyFile(source, partial, constants.COPYFILE_EXCL);
    await rename(partial, dest);
  } finally {
    await rm(partial, { force: true });
  }
  return true;
}

export interface LocalSyncResult {
  added: string[];
  updated: string[];
  /** Rows whose file is gone: kept (usage rows and prices refer to them) but not offered in the picker. */
  missing: string[];
  unreadable: { name: string; error: string }[];
}

/** Makes the local provider's model rows match the *.gguf model files in `dir` (adapters are skipped). */
export async function syncLocalModels(db: Tx, dir: string = modelsDir()): Promise<LocalSyncResult> {
  await ensureLocalProvider(db);
  const files = (await listModelFiles(dir)).filter((f) => f.kind === "model");
  const existing = await db.select().from(models).where(eq(models.providerId, LOCAL_PROVIDER_ID));
  const byName = new Map(existing.map((m) => [m.name, m]));
  const result: LocalSyncResult = { added: [], updated: [], missing: [], unreadable: [] };
  for (const file of files) {
    if (file.error) result.unreadable.push({ name: file.id, error: file.error });
    const contextLength = file.contextLength ?? null;
    const row = byName.get(file.id);
    if (!row) {
      await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(models)
          .values({ id: crypto.randomUUID(), providerId: LOCAL_PROVIDER_ID, name: file.id, contextLength, tags: [LOCAL_MODEL_TAG] })
          .onConflictDoNothing()
          .returning();
        // Local inference costs nothing per token; admins can still set a price to account for hardware.
        if (created) await addPrice(tx, { modelId: created.id, inputPerMillion: 0, outputPerMillion: 0, createdBy: null });
      });
      result.added.push(file.id);
    } else if (row.contextLength !== contextLength) {
      await db.update(models).set({ contextLength, updatedAt: new Date() }).where(eq(models.id, row.id));
      result.updated.push(file.id);
    }
  }
  const present = new Set(files.map((f) => f.id));
  result.missing = existing.filter((m) => !present.has(m.name)).map((m) => m.name);
  invalidateModelTargets();
  return result;
}

/** Names of local model rows whose file exists now. */
export async function presentLocalModels(db: Tx, dir: string = modelsDir()): Promise<Set<string>> {
  const rows = await db.select({ name: models.name }).from(models).where(eq(models.providerId, LOCAL_PROVIDER_ID));
  const present = new Set<string>();
  await Promise.all(
    rows.map(async (r) => {
      try {
        if ((await stat(localModelPath(r.name, dir))).isFile()) present.add(r.name);
      } catch {
        // missing or not a model name
      }
    }),
  );
  return present;
}

/** Called once at server start (lib/bootstrap/start-console.ts). */
export async function initLocalProvider(db: Tx, options: { dir?: string; starter?: string } = {}): Promise<LocalSyncResult> {
  const dir = options.dir ?? modelsDir();
  await mkdir(dir, { recursive: true });
  await ensureLocalProvider(db);
  if (await installStarterModel(dir, options.starter ?? starterModelSource())) {
    console.log(`[kindling] installed the starter model into ${dir}`);
  }
  const result = await syncLocalModels(db, dir);
  for (const u of result.unreadable) console.error(`[kindling] local model ${u.name} cannot be read: ${u.error}`);
  return result;
}

// ---- engines for local models -------------------------------------------------------------------

interface EngineState {
  manager: EngineManager;
  starting: Map<string, Promise<string>>;
  /** Why an engine failed, and the file's mtime then: retried only once the file changes. */
  failures: Map<string, { error: string; fileMtimeMs: number }>;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`);
  return n;
}

// One manager per process, on globalThis: Next.js loads route modules as separate module graphs.
const holder = globalThis as unknown as { __kindlingLocalEngines?: EngineState };

function engines(): EngineState {
  holder.__kindlingLocalEngines ??= {
    // Inside the Next bundle import.meta.url does not point at the source, so name the CLI by path.
    manager: new EngineManager({
      threads: positiveInt("KINDLING_ENGINE_THREADS", 1),
      cliPath: path.join(/*turbopackIgnore: true*/ process.cwd(), "lib/engine/cli.ts"),
    }),
    starting: new Map(),
    failures: new Map(),
  };
  return holder.__kindlingLocalEngines;
}

export function localEngineId(name: string): string {
  return `local:${name}`;
}

/** The state of the engines this process started for local models. */
export function listLocalEngines(): EngineInfo[] {
  return holder.__kindlingLocalEngines?.manager.list() ?? [];
}

export type LocalEngineState = { status: "idle" | "starting" | "ready" } | { status: "failed"; error: string };

/** What this process knows about the engine of local model `name` (idle until first use). */
export function localEngineState(name: string): LocalEngineState {
  const s = holder.__kindlingLocalEngines;
  const id = localEngineId(name);
  if (!s) return { status: "idle" };
  if (s.starting.has(id)) return { status: "starting" };
  const failure = s.failures.get(id);
  if (failure) return { status: "failed", error: failure.error };
  const info = s.manager.get(id);
  if (!info || info.status === "stopped") return { status: "idle" };
  if (info.status === "failed") return { status: "failed", error: info.error ?? "it stopped after repeated crashes" };
  return { status: info.status === "ready" ? "ready" : "starting" };
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
 * UNAVAILABLE when the file is missing or the model does not load (not retried until the file changes).
 */
export function ensureLocalEngine(name: string, dir: string = modelsDir()): Promise<string> {
  const s = engines();
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

async function startLocalEngine(s: EngineState, id: string, name: string, dir: string): Promise<string> {
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
  // Check the header here first: the engine process can hang on a file that is not GGUF at all.
  try {
    await readGguf(file);
  } catch (error) {
    const message = `its file is not a readable GGUF model (${(error as Error).message})`;
    s.failures.set(id, { error: message, fileMtimeMs: mtimeMs });
    throw unavailable(name, message);
  }
  try {
    const ready = await s.manager.start({ id, modelPath: file, modelId: name, parallel: positiveInt("KINDLING_ENGINE_PARALLEL", 4) });
    return ready.baseUrl!;
  } catch (error) {
    s.failures.set(id, { error: (error as Error).message, fileMtimeMs: mtimeMs });
    throw unavailable(name, (error as Error).message);
  }
}

/** Stops every local engine of this process (tests, orderly shutdown). */
export async function stopLocalEngines(): Promise<void> {
  const s = holder.__kindlingLocalEngines;
  holder.__kindlingLocalEngines = undefined;
  await s?.manager.dispose();
}
