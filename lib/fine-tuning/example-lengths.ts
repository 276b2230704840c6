// Token counts of a stored dataset file's examples, in file order, as the trainer tokenizes them:
// what the estimate and the checkpoint spacing plan a run from. Stored datasets never change, so
// the counts are kept per file (and its size and time, in case it is replaced).
import "server-only";
import { readFile, stat } from "node:fs/promises";
import { parseJsonl } from "@/lib/training/data";

const cache = new Map<string, { key: string; lengths: number[] }>();
const KEEP = 16;

export async function exampleLengths(file: string): Promise<number[]> {
  const s = await stat(file);
  const key = `${s.size}:${s.mtimeMs}`;
  const hit = cache.get(file);
  if (hit?.key === key) return hit.lengths;
  // No context limit here: the dataset was checked against the base when the job was made.
  const lengths = parseJsonl(await readFile(file, "utf8"), { contextLength: Number.MAX_SAFE_INTEGER, file }).map((e) => e.tokens.length);
  if (cache.size >= KEEP) cache.delete(cache.keys().next().value!);
  cache.set(file, { key, lengths });
  return lengths;
}
