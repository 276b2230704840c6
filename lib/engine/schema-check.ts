// Validates generated JSON against the caller's schema: a grammar alone lets through e.g. 1E999 (STACK.md).

import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
const cache = new Map<string, ValidateFunction>();

/** Compiles (and caches) a schema; throws with ajv's message when the schema itself is invalid. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (cache.size > 128) cache.delete(cache.keys().next().value!);
    cache.set(key, validate);
  }
  return validate;
}

/** null when `value` conforms, else a short description of the first violation. */
export function schemaViolation(schema: Record<string, unknown>, value: unknown): string | null {
  const validate = compileSchema(schema);
  if (validate(value)) return null;
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || "/"} ${e.message ?? "is invalid"}` : "does not match the schema";
}
