// Validates generated JSON against the caller's schema: a grammar alone lets through e.g. 1E999, which JSON.parse turns into Infinity.

import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import { schemaSizeProblem } from "@/lib/json-schema/checker";

// Compiled schemas keyed by their full text, each by its own Ajv instance: one shared instance kept
// every schema for ever and refused a second schema with the same $id. Bounded, so memory is too.
const cache = new Map<string, ValidateFunction>();
const CACHE_SIZE = 32;

/** Compiles (and caches) a schema; throws a one-line reason when it is too large or invalid. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (validate) {
    cache.delete(key);
  } else {
    const problem = schemaSizeProblem(schema);
    if (problem) throw new Error(problem);
    const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false, addUsedSchema: false, logger: false });
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      // Only the first line: a failed compile's message can carry the generated code.
      throw new Error(String((error as Error).message).split("\n")[0].slice(0, 300));
    }
  }
  cache.set(key, validate);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return validate;
}

/** JSON path of a number that JSON.parse turned into ±Infinity (e.g. 1E999), which ajv lets through. */
function nonFinitePath(value: unknown, path = ""): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path || "/";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFinitePath(value[i], `${path}/${i}`);
      if (p) return p;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = nonFinitePath(v, `${path}/${k}`);
      if (p) return p;
    }
  }
  return null;
}

/** null when `value` conforms, else a short description of the first violation. */
export function schemaViolation(schema: Record<string, unknown>, value: unknown): string | null {
  const infinite = nonFinitePath(value);
  if (infinite) return `${infinite} is a number too large to represent`;
  const validate = compileSchema(schema);
  if (validate(value)) return null;
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || "/"} ${e.message ?? "is invalid"}` : "does not match the schema";
}
