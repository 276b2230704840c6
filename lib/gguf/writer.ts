// GGUF v3 writer: typed metadata plus F32/F16 tensors, written atomically (temp file + rename).

import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { f32ToF16Array } from "./half";
import {
  GGML_TYPE,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_MAX_TENSOR_NAME_BYTES,
  GGUF_VERSION,
  VALUE_TYPE_CODE,
  type GgufMetadata,
  type GgufScalarType,
  type GgufTensorInput,
  type GgufValue,
} from "./types";

export type { GgufMetadata, GgufTensorInput, GgufValue } from "./types";

/** A growable little-endian byte buffer for the header. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number) { this.reserve(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  i8(v: number) { this.reserve(1); this.buf.writeInt8(v, this.length); this.length += 1; }
  u16(v: number) { this.reserve(2); this.buf.writeUInt16LE(v, this.length); this.length += 2; }
  i16(v: number) { this.reserve(2); this.buf.writeInt16LE(v, this.length); this.length += 2; }
  u32(v: number) { this.reserve(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  i32(v: number) { this.reserve(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
  f32(v: number) { this.reserve(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
  f64(v: number) { this.reserve(8); this.buf.writeDoubleLE(v, this.length); this.length += 8; }
  u64(v: number | bigint) { this.reserve(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  i64(v: number | bigint) { this.reserve(8); this.buf.writeBigInt64LE(BigInt(v), this.length); this.length += 8; }
  bytes(b: Uint8Array) { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
  string(s: string) { const b = Buffer.from(s, "utf8"); this.u64(b.length); this.bytes(b); }
  pad(alignment: number) { const n = (alignment - (this.length % alignment)) % alignment; this.reserve(n); this.length += n; }
  result(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeScalar(sink: ByteSink, type: GgufScalarType, value: unknown, key: string): void {
  const bad = () => new Error(`GGUF metadata "${key}": value ${String(value)} is not a valid ${type}`);
  if (type === "string") {
    if (typeof value !== "string") throw bad();
    sink.string(value);
    return;
  }
  if (type === "bool") {
    if (typeof value !== "boolean") throw bad();
    sink.u8(value ? 1 : 0);
    return;
  }
  if (type === "u64" || type === "i64") {
    if (typeof value !== "bigint" && !(typeof value === "number" && Number.isInteger(value))) throw bad();
    if (type === "u64") sink.u64(value); else sink.i64(value);
    return;
  }
  if (typeof value !== "number" || Number.isNaN(value) && type !== "f32" && type !== "f64") throw bad();
  if (type !== "f32" && type !== "f64" && !Number.isInteger(value)) throw bad();
  try {
    sink[type](value);
  } catch {
    throw bad();
  }
}

function writeValue(sink: ByteSink, key: string, v: GgufValue): void {
  sink.u32(VALUE_TYPE_CODE[v.type]);
  if (v.type !== "array") {
    writeScalar(sink, v.type, v.value, key);
    return;
  }
  if (v.itemType === "array") throw new Error(`GGUF metadata "${key}": nested arrays are not supported by the writer`);
  sink.u32(VALUE_TYPE_CODE[v.itemType]);
  sink.u64(v.value.length);
  for (const item of v.value) writeScalar(sink, v.itemType, item, key);
}

function validateTensor(t: GgufTensorInput): void {
  const nameBytes = Buffer.byteLength(t.name, "utf8");
  if (!t.name || nameBytes > GGUF_MAX_TENSOR_NAME_BYTES) {
    throw new Error(`GGUF tensor name "${t.name}" must be 1..${GGUF_MAX_TENSOR_NAME_BYTES} bytes`);
  }
  if (t.ne.length < 1 || t.ne.length > 4 || t.ne.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`GGUF tensor "${t.name}": ne [${t.ne.join(", ")}] must be 1 to 4 positive integers`);
  }
  const count = t.ne.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) {
    throw new Error(`GGUF tensor "${t.name}": ne [${t.ne.join(", ")}] holds ${count} values but data has ${t.data.length}`);
  }
  if (t.type !== "F32" && t.type !== "F16") throw new Error(`GGUF tensor "${t.name}": unsupported type ${String(t.type)}`);
}

/**
 * Writes a GGUF v3 file. Metadata keys are written in insertion order; tensor data follows in the
 * order given, each aligned to 32 bytes. The file appears only once complete (temp file + rename).
 */
export async function writeGguf(path: string, file: { metadata: GgufMetadata; tensors: GgufTensorInput[] }): Promise<void> {
  const alignment = GGUF_DEFAULT_ALIGNMENT;
  const alignmentValue = file.metadata["general.alignment"];
  if (alignmentValue && alignmentValue.value !== alignment) {
    throw new Error(`GGUF metadata "general.alignment" must be ${alignment} for this writer`);
  }
  const names = new Set<string>();
  for (const t of file.tensors) {
    validateTensor(t);
    if (names.has(t.name)) throw new Error(`GGUF tensor "${t.name}" appears twice`);
    names.add(t.name);
  }

  const header = new ByteSink();
  const entries = Object.entries(file.metadata);
  header.u32(GGUF_MAGIC);
  header.u32(GGUF_VERSION);
  header.u64(file.tensors.length);
  header.u64(entries.length);
  for (const [key, value] of entries) {
    header.string(key);
    writeValue(header, key, value);
  }
  let offset = 0;
  const sizes: number[] = [];
  for (const t of file.tensors) {
    header.string(t.name);
    header.u32(t.ne.length);
    for (const d of t.ne) header.u64(d);
    header.u32(GGML_TYPE[t.type]);
    header.u64(offset);
    const size = t.data.length * (t.type === "F32" ? 4 : 2);
    sizes.push(size);
    offset += size + ((alignment - (size % alignment)) % alignment);
  }
  header.pad(alignment);

  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "w");
  try {
    await fh.write(header.result());
    const padding = Buffer.alloc(alignment);
    for (let i = 0; i < file.tensors.length; i++) {
      const t = file.tensors[i];
      const raw = t.type === "F32" ? t.data : f32ToF16Array(t.data);
      await fh.write(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      const pad = (alignment - (sizes[i] % alignment)) % alignment;
      if (pad) await fh.write(padding.subarray(0, pad));
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (error) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw error;
  }
}
