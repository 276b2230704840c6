// Where local models live: the *.gguf files under $KINDLING_DATA_DIR/models, one model per file,
// named by the file name without .gguf.
import { stat } from "node:fs/promises";
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
