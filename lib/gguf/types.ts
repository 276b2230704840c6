// GGUF value and tensor types shared by the writer and the reader (lib/gguf/FORMAT.md, "Container").

/** Scalar metadata types, named after their GGUF wire types. */
export type GgufScalarType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "bool" | "string" | "u64" | "i64" | "f64";

/** A scalar's JS value: numbers (u64/i64 may also be bigint), booleans, strings. */
export type GgufScalar = number | bigint | boolean | string;

/**
 * A typed metadata value. The type is explicit because JSON-ish values cannot tell u32 from f32.
 * Arrays hold scalars of one `itemType`; the reader may also return nested arrays (itemType "array").
 */
export type GgufValue =
  | { type: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64"; value: number }
  | { type: "u64" | "i64"; value: number | bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; itemType: GgufScalarType | "array"; value: unknown[] };

export type GgufMetadata = Record<string, GgufValue>;

/** Tensor types the writer produces. */
export type GgufWritableTensorType = "F32" | "F16";

export interface GgufTensorInput {
  name: string;
  /** Dimensions in ggml order (the reverse of a row-major shape): Linear(in -> out) is [in, out]. */
  ne: number[];
  type: GgufWritableTensorType;
  data: Float32Array;
}

/** Wire codes of the value types. */
export const VALUE_TYPE_CODE: Record<GgufScalarType | "array", number> = {
  u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12,
};
export const VALUE_TYPE_BY_CODE: (GgufScalarType | "array")[] = [
  "u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64",
];

/** ggml tensor type codes and names (only F32, F16 and BF16 are loadable as floats here). */
export const GGML_TYPE_NAMES: Record<number, string> = {
  0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K",
  12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S",
  20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64",
  29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
};
export const GGML_TYPE = { F32: 0, F16: 1, BF16: 30 } as const;

export const GGUF_MAGIC = 0x46554747;
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml's GGML_MAX_NAME is 64 bytes including the terminating NUL. */
export const GGUF_MAX_TENSOR_NAME_BYTES = 63;
