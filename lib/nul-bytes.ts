// PostgreSQL text and jsonb refuse the NUL character (\u0000): a string holding one fails the
// query with a 500. Every input is searched for it first and refused as a validation error.
import { AppError } from "@/lib/errors";

/** The dotted path of the first string (or key) holding \u0000 in `value`, or null. */
export function nulBytePath(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "(input)" : null;
  if (value === null || typeof value !== "object" || depth > 64) return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\u0000")].join(".");
    const found = nulBytePath(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** Throws VALIDATION naming the field when any string in `value` holds a NUL character. */
export function assertNoNulBytes(value: unknown, prefix?: string): void {
  const found = nulBytePath(value);
  if (found === null) return;
  const field = prefix ? (found === "(input)" ? prefix : `${prefix}.${found}`) : found;
  throw new AppError("VALIDATION", `${field}: must not contain the NUL character (\\u0000).`, {
    fieldErrors: { [field]: ["Must not contain the NUL character (\\u0000)."] },
  });
}
