import { getLlama } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { jsonSchemaToGbnf, UnsupportedSchemaError } from "./json-grammar";

/** The integer rule of a one-integer schema as a JS regular expression (its GBNF uses only literals, classes, {m,n}, | and groups). */
function integerRegex(schema: Record<string, unknown>): RegExp {
  const gbnf = jsonSchemaToGbnf(schema);
  const root = /^root ::= (\S+)$/m.exec(gbnf)![1];
  const body = new RegExp(`^${root} ::= (.*)$`, "m").exec(gbnf)![1];
  const js = body.replace(/"(.)"/g, (_m, c: string) => (c === "-" ? "-" : c)).replace(/\s+/g, "");
  return new RegExp(`^(?:${js})$`);
}

function refusal(schema: Record<string, unknown>): UnsupportedSchemaError {
  try {
    jsonSchemaToGbnf(schema);
  } catch (error) {
    if (error instanceof UnsupportedSchemaError) return error;
    throw error;
  }
  throw new Error("not refused");
}

describe("JSON schema to GBNF", () => {
  it("allows exactly the integers within minimum/maximum and the exclusive bounds", () => {
    const cases: [Record<string, unknown>, (n: number) => boolean][] = [
      [{ type: "integer", minimum: 0, maximum: 99 }, (n) => n >= 0 && n <= 99],
      [{ type: "integer", minimum: 7, maximum: 1234 }, (n) => n >= 7 && n <= 1234],
      [{ type: "integer", minimum: -45, maximum: 301 }, (n) => n >= -45 && n <= 301],
      [{ type: "integer", minimum: -300, maximum: -12 }, (n) => n >= -300 && n <= -12],
      [{ type: "integer", exclusiveMinimum: 5, exclusiveMaximum: 50 }, (n) => n > 5 && n < 50],
      [{ type: "integer", minimum: 18 }, (n) => n >= 18],
      [{ type: "integer", maximum: 42 }, (n) => n <= 42],
      [{ type: "integer", maximum: -3 }, (n) => n <= -3],
      [{ type: "integer", minimum: -17 }, (n) => n >= -17],
      [{ type: "integer", minimum: 1.5, maximum: 9.5 }, (n) => n >= 2 && n <= 9],
    ];
    for (const [schema, allowed] of cases) {
      const re = integerRegex(schema);
      for (let n = -2000; n <= 2000; n++) expect(re.test(String(n)), `${JSON.stringify(schema)} ${n}`).toBe(allowed(n));
      for (const n of [123456, -123456, 10 ** 14]) expect(re.test(String(n)), `${JSON.stringify(schema)} ${n}`).toBe(allowed(n));
      expect(re.test("-0"), JSON.stringify(schema)).toBe(false);
      expect(re.test("007"), JSON.stringify(schema)).toBe(false);
    }
  });

  it("refuses what the grammar cannot enforce, naming the keyword", () => {
    expect(refusal({ type: "number", maximum: 3 }).keyword).toBe("maximum");
    expect(refusal({ type: "object", properties: { a: { type: "string", pattern: "(?=a)b" } } })).toMatchObject({ keyword: "pattern", at: "#/properties/a" });
    expect(refusal({ type: "array", items: { type: "string" }, uniqueItems: true }).keyword).toBe("uniqueItems");
    expect(refusal({ type: "integer", multipleOf: 5 }).keyword).toBe("multipleOf");
    expect(refusal({ type: "string", format: "email" }).keyword).toBe("format");
    expect(refusal({ type: "object", minProperties: 1 }).keyword).toBe("minProperties");
    expect(refusal({ type: "integer", minimum: 10, maximum: 5 }).keyword).toBe("minimum");
    expect(refusal({ not: { type: "string" } }).keyword).toBe("not");
  });

  it("writes grammars llama.cpp accepts", async () => {
    const llama = await getLlama({ gpu: false, build: "never" });
    try {
      const schemas: Record<string, unknown>[] = [
        { type: "object", properties: { count: { type: "integer", minimum: 0, maximum: 99 } }, required: ["count"], additionalProperties: false },
        { type: "object", properties: { a: { type: "string", maxLength: 5 }, b: { enum: ["x", 2, null] }, c: { type: "string", pattern: "^[A-Z]{2}-\\d{3}$" } } },
        { type: "array", items: { type: ["string", "null"] }, minItems: 1, maxItems: 3 },
        { type: "object", additionalProperties: { type: "number" } },
        { $defs: { node: { type: "object", properties: { next: { anyOf: [{ $ref: "#/$defs/node" }, { type: "null" }] } }, required: ["next"] } }, $ref: "#/$defs/node" },
        { type: "string", format: "date-time" },
        { type: "string", pattern: "ab+c|d.e" },
        {},
      ];
      for (const schema of schemas) {
        const gbnf = jsonSchemaToGbnf(schema);
        await expect(llama.createGrammar({ grammar: gbnf }), gbnf).resolves.toBeTruthy();
      }
    } finally {
      await llama.dispose();
    }
  });
});
