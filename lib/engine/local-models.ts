// Where local models live: the *.gguf files under $KINDLING_DATA_DIR/models, one model per file,
// named by the file name without .gguf. A LoRA adapter becomes a model of its own when a sidecar
// `<name>.lora.json` beside `<name>.gguf` names its base (another model in the same folder): its
// engine is that base with the adapter applied (a LoRA fine-tuning job's result is kept this way).
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/lib/env";
import { AppError } from "@/lib/errors";

export function modelsDir(): string {
  return path.join(dataDir(), "models");
}

export function localModelPath(name: string, dir: string = modelsDir()): string {
  // Names come from file names in `dir`, but a row could be edited by hand: never leave the directory.
  const file = path.join(dir, `${name}.gguf`);
  if (path.dirname(file) !== path.resolve(/*turbopackIgnore: true*/ dir)) throw new AppError("VALIDATION", `"${name}" is not a model file name.`);
  return file;
}

export function loraSidecarPath(name: string, dir: string = modelsDir()): string {
  return localModelPath(name, dir).replace(/\.gguf$/, ".lora.json");
}

/** What a LoRA model's sidecar says: the base model's name and the adapter's scale. */
export interface LoraSidecar {
  base: string;
  scale: number;
}

/** The sidecar of adapter model `name`, or null when there is none; a sidecar that cannot be used throws, naming the field. */
export async function readLoraSidecar(name: string, dir: string = modelsDir()): Promise<LoraSidecar | null> {
  let text: string;
  try {
    text = await readFile(loraSidecarPath(name, dir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let raw: { base?: unknown; scale?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    throw new AppError("VALIDATION", `${name}.lora.json is not JSON.`);
  }
  if (typeof raw.base !== "string" || !raw.base || raw.base === name) throw new AppError("VALIDATION", `${name}.lora.json: "base" must name another model in the models folder.`);
  localModelPath(raw.base, dir); // throws for a name that would leave the folder
  const scale = raw.scale === undefined ? 1 : raw.scale;
  if (typeof scale !== "number" || !Number.isFinite(scale)) throw new AppError("VALIDATION", `${name}.lora.json: "scale" must be a number.`);
  return { base: raw.base, scale };
}

/** Writes the sidecar that makes adapter `name` a model on `sidecar.base` (written beside it, then renamed). */
export async function writeLoraSidecar(name: string, sidecar: LoraSidecar, dir: string = modelsDir()): Promise<void> {
  localModelPath(sidecar.base, dir);
  const file = loraSidecarPath(name, dir);
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, `${JSON.stringify(sidecar)}\n`);
  await rename(partial, file);
}

/** The files an engine for local model `name` loads: the model itself, or for a LoRA model its base plus the adapter. */
export async function localEngineFiles(name: string, dir: string = modelsDir()): Promise<{ modelPath: string; loras: { path: string; scale: number }[]; base: string | null }> {
  const file = localModelPath(name, dir);
  const sidecar = await readLoraSidecar(name, dir);
  if (!sidecar) return { modelPath: file, loras: [], base: null };
  return { modelPath: localModelPath(sidecar.base, dir), loras: [{ path: file, scale: sidecar.scale }], base: sidecar.base };
}

/** Which of `names` have a model file in `dir` now. */
export async function presentModelFiles(names: Iterable<string>, dir: string = modelsDir()): Promise<Set<string>> {
  const present = new Set<string>();
  await Promise.all(
    [...names].map(async (name) => {
      try {
        if ((await stat(localModelPath(name, dir))).isFile()) present.add(name);
      } catch {
        // missing or not a model name
      }
    }),
  );
  return present;
}
