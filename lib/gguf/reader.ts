// GGUF reader: metadata and tensor infos from the header, and tensor data as Float32Array on demand.

import { open, stat } from "node:fs/promises";
import { bf16ToF32Array, f16ToF32Array } from "./half";
import {
  GGML_TYPE,
  GGML_TYPE_NAMES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  VALUE_TYPE_BY_CODE,
  type GgufMetadata,
  type GgufScalarType,
  type GgufValue,
} from "./types";

export interface GgufTensorInfo {
  name: string;
  /** ggml order, see GgufTensorInput. */
  ne: number[];
  /** ggml type code (0 F32, 1 F16, 30 BF16, others quantized). */
  typeCode: number;
  /** "F32", "F16", "BF16", "Q4_K"...; `type<N>` for codes this module does not know. */
  typeName: string;
  /** Byte offset from the start of the file. */
  fileOffset: number;
}

export interface GgufFile {
  path: string;
  version: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** File offset of the tensor data section. */
  dataOffset: number;
  fileSize: number;
}

/** Thrown by the parser when the header runs past the bytes read so far. */
class NeedMoreBytes extends Error {}

class Cursor {
  pos = 0;
  constructor(private readonly buf: Buffer, private readonly complete: boolean) {}
  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      if (this.complete) throw new Error("GGUF file is truncated: the header runs past the end of the file");
      throw new NeedMoreBytes();
    }
  }
  u8() { this.need(1); return this.buf.readUInt8(this.pos++); }
  i8() { this.need(1); return this.buf.readInt8(this.pos++); }
  u16() { this.need(2); const v = this.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  i16() { this.need(2); const v = this.buf.readInt16LE(this.pos); this.pos += 2; return v; }
  u32() { this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  i32() { this.need(4); const v = this.buf.readInt32LE(this.pos); this.pos += 4; return v; }
  f32() { this.need(4); const v = this.buf.readFloatLE(this.pos); this.pos += 4; return v; }
  f64() { this.need(8); const v = this.buf.readDoubleLE(this.pos); this.pos += 8; return v; }
  u64(): number | bigint { this.need(8); const v = this.buf.readBigUInt64LE(this.pos); this.pos += 8; return small(v); }
  i64(): number | bigint { this.need(8); const v = this.buf.readBigInt64LE(this.pos); this.pos += 8; return small(v); }
  size(what: string): number {
    const v = this.u64();
    if (typeof v === "bigint" || v > 2 ** 40) throw new Error(`GGUF file is corrupt: ${what} ${String(v)} is too large`);
    return v;
  }
  string(): string {
    const n = this.size("string length");
    this.need(n);
    const s = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

function small(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

function readScalar(c: Cursor, type: GgufScalarType): unknown {
  switch (type) {
    case "string": return c.string();
    case "bool": return c.u8() !== 0;
    default: return c[type]();
  }
}

function readTypeCode(c: Cursor, key: string): GgufScalarType | "array" {
  const code = c.u32();
  const type = VALUE_TYPE_BY_CODE[code];
  if (!type) throw new Error(`GGUF file is corrupt: metadata "${key}" has unknown value type ${code}`);
  return type;
}

function readArray(c: Cursor, key: string): { itemType: GgufScalarType | "array"; value: unknown[] } {
  const itemType = readTypeCode(c, key);
  const count = c.size(`array length of "${key}"`);
  const value: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) value[i] = itemType === "array" ? readArray(c, key).value : readScalar(c, itemType);
  return { itemType, value };
}

function parseHeader(buf: Buffer, complete: boolean, path: string, fileSize: number): GgufFile {
  const c = new Cursor(buf, complete);
  const magic = c.u32();
  if (magic !== GGUF_MAGIC) throw new Error(`${path} is not a GGUF file (bad magic)`);
  const version = c.u32();
  if (version < 2 || version > 3) throw new Error(`${path}: unsupported GGUF version ${version}`);
  const nTensors = c.size("tensor count");
  const nKv = c.size("metadata count");
  const metadata: GgufMetadata = {};
  for (let i = 0; i < nKv; i++) {
    const key = c.string();
    const type = readTypeCode(c, key);
    metadata[key] = (type === "array" ? { type, ...readArray(c, key) } : { type, value: readScalar(c, type) }) as GgufValue;
  }
  const alignmentValue = metadata["general.alignment"]?.value;
  const alignment = typeof alignmentValue === "number" && alignmentValue > 0 ? alignmentValue : GGUF_DEFAULT_ALIGNMENT;
  const infos: { name: string; ne: number[]; typeCode: number; offset: number }[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = c.string();
    const nDims = c.u32();
    if (nDims > 8) throw new Error(`GGUF file is corrupt: tensor "${name}" has ${nDims} dimensions`);
    const ne: number[] = [];
    for (let d = 0; d < nDims; d++) ne.push(c.size(`dimension of "${name}"`));
    const typeCode = c.u32();
    const offset = c.size(`offset of "${name}"`);
    infos.push({ name, ne, typeCode, offset });
  }
  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  const tensors = infos.map((t) => ({
    name: t.name,
    ne: t.ne,
    typeCode: t.typeCode,
    typeName: GGML_TYPE_NAMES[t.typeCode] ?? `type${t.typeCode}`,
    fileOffset: dataOffset + t.offset,
  }));
  return { path, version, metadata, tensors, alignment, dataOffset, fileSize };
}

/** Reads a GGUF header (metadata and tensor infos) without loading tensor data. */
export async function readGguf(path: string): Promise<GgufFile> {
  const { size } = await stat(path);
  const fh = await open(path, "r");
  try {
    // Headers of downloaded models hold big vocabularies: grow the read until the header parses.
    for (let chunk = Math.min(size, 1 << 20); ; chunk = Math.min(size, chunk * 4)) {
      const buf = Buffer.alloc(chunk);
      const { bytesRead } = await fh.read(buf, 0, chunk, 0);
      try {
        return parseHeader(buf.subarray(0, bytesRead), chunk >= size, path, size);
      } catch (error) {
        if (!(error instanceof NeedMoreBytes)) throw error;
      }
    }
  } finally {
    await fh.close();
  }
}

/** A metadata value as plain JS (or undefined when absent). */
export function ggufValue(file: GgufFile, key: string): unknown {
  return file.metadata[key]?.value;
}

export function tensorElementCount(info: GgufTensorInfo): number {
  return info.ne.reduce((a, b) => a * b, 1);
}

/** Loads one tensor as Float32Array (F32, F16 and BF16); quantized tensors are refused by name and type. */
export async function readTensorData(file: GgufFile, tensor: GgufTensorInfo | string): Promise<Float32Array> {
  const info = typeof tensor === "string" ? file.tensors.find((t) => t.name === tensor) : tensor;
  if (!info) throw new Error(`${file.path} has no tensor named "${String(tensor)}"`);
  const count = tensorElementCount(info);
  const bytesPer = info.typeCode === GGML_TYPE.F32 ? 4 : info.typeCode === GGML_TYPE.F16 || info.typeCode === GGML_TYPE.BF16 ? 2 : 0;
  if (!bytesPer) {
    throw new Error(
      `tensor "${info.name}" is ${info.typeName}: cannot train a quantized model; use an F32, F16 or BF16 GGUF file`,
    );
  }
  const byteLength = count * bytesPer;
  if (info.fileOffset + byteLength > file.fileSize) throw new Error(`GGUF file is truncated: tensor "${info.name}" runs past the end`);
  const buf = new ArrayBuffer(byteLength);
  const fh = await open(file.path, "r");
  try {
    await fh.read(new Uint8Array(buf), 0, byteLength, info.fileOffset);
  } finally {
    await fh.close();
  }
  if (info.typeCode === GGML_TYPE.F32) return new Float32Array(buf);
  const halves = new Uint16Array(buf);
  return info.typeCode === GGML_TYPE.F16 ? f16ToF32Array(halves) : bf16ToF32Array(halves);
}
