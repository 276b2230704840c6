import { describe, expect, it } from "vitest";
import { compileSchema, schemaViolation } from "./schema-check";

describe("engine schema check", () => {
  it("accepts two different schemas with the same $id, each judged by itself", () => {
    const a = { $id: "https://example.com/s", type: "object", required: ["a"] };
    const b = { $id: "https://example.com/s", type: "object", required: ["b"] };
    expect(schemaViolation(a, { a: 1 })).toBeNull();
    expect(schemaViolation(b, { b: 1 })).toBeNull();
    expect(schemaViolation(b, { a: 1 })).toMatch(/must have required property 'b'/);
  });

  it("refuses an oversized schema before compiling it, and reports a bad one in one line", () => {
    const properties = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, { type: "string" }]));
    expect(() => compileSchema({ type: "object", properties })).toThrow(/at most 32,000 are accepted/);
    let message = "";
    try {
      compileSchema({ properties: { a: { $ref: "#/nowhere" } } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/can't resolve reference/);
    expect(message).not.toContain("\n");
  });
});
