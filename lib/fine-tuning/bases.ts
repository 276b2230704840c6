// Which local models the local trainer can fine-tune, and why the others cannot.
import "server-only";
import { listModelFiles } from "@/lib/engine/model-files";
import { readGguf, ggufValue } from "@/lib/gguf/reader";
import { kindlingVocab } from "@/lib/gguf/kindling-vocab";
import { AppError } from "@/lib/errors";
import { modelsDir } from "@/lib/engine/local-models";
import { recommendedMethod, type Method } from "./schemas";

export interface BaseModel {
  name: string;
  path: string;
  trainable: boolean;
  /** Why the trainer cannot train it; set when trainable is false. */
  reason?: string;
  contextLength: number | null;
  parameterCount: number;
  sizeBytes: number;
  recommended: { method: Method; why: string };
}

/** A base as the browser sees it: without its file's path on this machine. */
export type BaseModelDto = Omit<BaseModel, "path">;

const TRAINABLE_TYPES = new Set(["F32", "F16"]);

export async function listBaseModels(dir: string = modelsDir()): Promise<BaseModel[]> {
  const files = await listModelFiles(dir);
  const vocab = kindlingVocab().tokens;
  return Promise.all(
    files.map(async (f): Promise<BaseModel> => {
      const common = {
        name: f.id,
        path: f.path,
        contextLength: f.contextLength ?? null,
        parameterCount: f.parameterCount,
        sizeBytes: f.sizeBytes,
        recommended: recommendedMethod(f.parameterCount),
      };
      const refuse = (reason: string): BaseModel => ({ ...common, trainable: false, reason });
      if (f.error) return refuse(`its file cannot be read: ${f.error}`);
      if (f.kind === "adapter") return refuse("it is a LoRA adapter, not a model");
      if (f.architecture !== "llama") return refuse(`the trainer knows the llama architecture only (this is ${f.architecture ?? "unknown"})`);
      const quantized = f.tensorTypes.filter((t) => !TRAINABLE_TYPES.has(t));
      if (quantized.length) return refuse(`it is quantized (${quantized.join(", ")}); the trainer needs F16 or F32 weights`);
      const tokens = ggufValue(await readGguf(f.path), "tokenizer.ggml.tokens");
      if (!Array.isArray(tokens) || tokens.length !== vocab.length || tokens.some((t, i) => t !== vocab[i])) {
        return refuse("its vocabulary is not Kindling's byte vocabulary, the only one the trainer tokenizes");
      }
      return { ...common, trainable: true };
    }),
  );
}

export async function listBaseModelDtos(): Promise<BaseModelDto[]> {
  return (await listBaseModels()).map(({ path: _path, ...rest }) => rest);
}

/** The base named `name`, refusing one that does not exist or cannot be trained (the reason in the message). */
export async function getTrainableBase(name: string, dir: string = modelsDir()): Promise<BaseModel> {
  const base = (await listBaseModels(dir)).find((b) => b.name === name);
  if (!base) throw new AppError("VALIDATION", `There is no local model named "${name}".`, { fieldErrors: { baseModel: ["no such local model"] } });
  if (!base.trainable) {
    throw new AppError("VALIDATION", `The trainer cannot fine-tune ${name}: ${base.reason}.`, { fieldErrors: { baseModel: [base.reason!] } });
  }
  return base;
}
