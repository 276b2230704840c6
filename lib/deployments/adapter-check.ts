// Does a LoRA adapter fit a base model? Compared from the GGUF headers alone: every `<W>.lora_a`
// [in, r] / `<W>.lora_b` [r, out] pair (ggml order) must name a base tensor W of shape [in, out].
import type { GgufFile } from "@/lib/gguf/reader";
import { ggufValue } from "@/lib/gguf/reader";

/** Null when the adapter fits; otherwise one sentence saying why not. */
export function adapterMismatch(base: GgufFile, adapter: GgufFile): string | null {
  if (ggufValue(adapter, "general.type") !== "adapter") return "this file is a model, not a LoRA adapter";
  const baseArch = ggufValue(base, "general.architecture");
  const adapterArch = ggufValue(adapter, "general.architecture");
  if (typeof adapterArch === "string" && adapterArch !== baseArch) {
    return `the adapter is for the ${adapterArch} architecture, the base model is ${String(baseArch)}`;
  }
  const baseTensors = new Map(base.tensors.map((t) => [t.name, t.ne]));
  const pairs = new Map<string, { a?: number[]; b?: number[] }>();
  for (const t of adapter.tensors) {
    const m = /^(.*)\.lora_([ab])$/.exec(t.name);
    if (!m) continue;
    const pair = pairs.get(m[1]) ?? {};
    pair[m[2] as "a" | "b"] = t.ne;
    pairs.set(m[1], pair);
  }
  if (pairs.size === 0) return "the adapter has no LoRA tensors";
  for (const [name, { a, b }] of pairs) {
    const w = baseTensors.get(name);
    if (!w) return `the base model has no tensor ${name}`;
    if (!a || !b) return `${name} lacks its lora_${a ? "b" : "a"} half`;
    if (a[0] !== w[0] || b[1] !== w[1] || a[1] !== b[0]) {
      return `${name} is [${w.join(", ")}] in the base but the adapter is built for [${a[0]}, ${b[1]}]`;
    }
  }
  return null;
}
