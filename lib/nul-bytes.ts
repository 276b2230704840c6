// PostgreSQL text and jsonb refuse the NUL character (\u0000): a string holding one fails the
// query with a 500. Every input is searched for it first and refused as a validation error.
import { AppError } from "@/lib/errors";

/** The dotted path of the first string (or key) holding \u0000 in `value`, or null. */
export function nulBytePath(value: unknown): string | null {
  const found = nulByteKeys(value, 0);
  return found === null ? null : found.reverse().join(".") || "(input)";
}

/** The keys down to the first NUL, innermost first (built only when one is found: this runs on every request body). */
function nulByteKeys(value: unknown, depth: number): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? [] : null;
  if (value === null || typeof value !== "object" || depth > 64) return null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes("\u0000")) return [key.replaceAll("\u0000", "\\u0000")];
    const found = nulByteKeys((value as Record<string, unknown>)[key], depth + 1);
    if (found) {
      found.push(key);
      return found;
    }
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
