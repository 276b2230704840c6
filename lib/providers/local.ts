// The built-in local provider's catalogue: one provider row created at start, and one model row per
// *.gguf file under $KINDLING_DATA_DIR/models, and one per LoRA adapter there whose sidecar names its
// base. The engines that serve them are lib/engine/supervisor.ts's.
import "server-only";
import { constants } from "node:fs";
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { models, providers } from "@/db/schema";
import { modelsDir, presentModelFiles, readLoraSidecar } from "@/lib/engine/local-models";
import { listModelFiles, type ModelFileInfo } from "@/lib/engine/model-files";
import { clearLocalEngineFailures } from "@/lib/engine/supervisor";
import { addPrice } from "@/lib/models/prices";
import { invalidateModelTargets } from "./target-cache";

export const LOCAL_PROVIDER_ID = "local";
export const LOCAL_PROVIDER_NAME = "Local engine";
export const LOCAL_MODEL_TAG = "local";

/** Where the starter model is kept (assets/starter, built by lib/training/starter); it may not exist in every checkout. */
export function starterModelSource(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "assets", "starter", "kindling-starter.gguf");
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
  /** Models whose engine had failed: a rescan forgets the failure, so their next use tries again. */
  retried: string[];
  unreadable: { name: string; error: string }[];
}

/**
 * Makes the local provider's model rows match the *.gguf model files in `dir`. An adapter is a model
 * only when its `<name>.lora.json` sidecar names its base (it then takes the base's context length);
 * other adapters are skipped (deployments attach them to a base).
 */
export async function syncLocalModels(db: Tx, dir: string = modelsDir()): Promise<LocalSyncResult> {
  await ensureLocalProvider(db);
  const all = await listModelFiles(dir);
  const byId = new Map(all.map((f) => [f.id, f]));
  const files: ModelFileInfo[] = [];
  const unreadableSidecars: { name: string; error: string }[] = [];
  for (const f of all) {
    if (f.kind === "model") {
      files.push(f);
      continue;
    }
    let sidecar;
    try {
      sidecar = await readLoraSidecar(f.id, dir);
    } catch (error) {
      unreadableSidecars.push({ name: f.id, error: (error as Error).message });
      continue;
    }
    if (!sidecar) continue;
    const base = byId.get(sidecar.base);
    files.push({ ...f, contextLength: base?.contextLength, error: f.error ?? (base ? undefined : `its base ${sidecar.base} is not in the models folder`) });
  }
  const existing = await db.select().from(models).where(eq(models.providerId, LOCAL_PROVIDER_ID));
  const byName = new Map(existing.map((m) => [m.name, m]));
  const result: LocalSyncResult = { added: [], updated: [], missing: [], unreadable: unreadableSidecars, retried: [] };
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
  result.retried = await clearLocalEngineFailures();
  invalidateModelTargets();
  return result;
}

/** Names of local model rows whose file exists now. */
export async function presentLocalModels(db: Tx, dir: string = modelsDir()): Promise<Set<string>> {
  const rows = await db.select({ name: models.name }).from(models).where(eq(models.providerId, LOCAL_PROVIDER_ID));
  return presentModelFiles(rows.map((r) => r.name), dir);
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
