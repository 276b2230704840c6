// GGUF files in a models directory (e.g. $KINDLING_DATA_DIR/models): what each one is, from its header only.

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ggufValue, readGguf, tensorElementCount } from "@/lib/gguf/reader";

export interface ModelFileInfo {
  /** Absolute path of the file. */
  path: string;
  /** File name without .gguf: the model id an engine serves by default. */
  id: string;
  kind: "model" | "adapter";
  architecture?: string;
  name?: string;
  contextLength?: number;
  parameterCount: number;
  /** Tensor types present, e.g. ["F16", "F32"] or ["Q4_K", "Q6_K", "F32"]. */
  tensorTypes: string[];
  hasChatTemplate: boolean;
  sizeBytes: number;
  /** Set when the header cannot be read; such a file is listed but cannot be served. */
  error?: string;
}

export async function listModelFiles(dir: string): Promise<ModelFileInfo[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files = names.filter((n) => n.toLowerCase().endsWith(".gguf")).sort();
  return Promise.all(
    files.map(async (file): Promise<ModelFileInfo> => {
      const path = join(dir, file);
      const id = file.replace(/\.gguf$/i, "");
      const { size } = await stat(path);
      try {
        const gguf = await readGguf(path);
        const arch = ggufValue(gguf, "general.architecture");
        const ctx = typeof arch === "string" ? ggufValue(gguf, `${arch}.context_length`) : undefined;
        const name = ggufValue(gguf, "general.name");
        return {
          path,
          id,
          kind: ggufValue(gguf, "general.type") === "adapter" ? "adapter" : "model",
          architecture: typeof arch === "string" ? arch : undefined,
          name: typeof name === "string" ? name : undefined,
          contextLength: typeof ctx === "number" ? ctx : undefined,
          parameterCount: gguf.tensors.reduce((n, t) => n + tensorElementCount(t), 0),
          tensorTypes: [...new Set(gguf.tensors.map((t) => t.typeName))].sort(),
          hasChatTemplate: typeof ggufValue(gguf, "tokenizer.chat_template") === "string",
          sizeBytes: size,
        };
      } catch (error) {
        return { path, id, kind: "model", parameterCount: 0, tensorTypes: [], hasChatTemplate: false, sizeBytes: size, error: (error as Error).message };
      }
    }),
  );
}
