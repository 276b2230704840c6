import { describe, expect, it } from "vitest";
import { changePriceSchema, updateModelSchema } from "./schemas";
import { formatContext, formatPerMillion, formatWhen } from "./format";

describe("catalogue formatting", () => {
  it("formats prices per million tokens", () => {
    expect(formatPerMillion(0)).toBe("$0");
    expect(formatPerMillion(0.5)).toBe("$0.50");
    expect(formatPerMillion(0.0005)).toBe("$0.0005");
    expect(formatPerMillion(15)).toBe("$15");
    expect(formatPerMillion(2.5)).toBe("$2.50");
  });

  it("formats context lengths and times", () => {
    expect(formatContext(32768)).toBe("32,768");
    expect(formatContext(null)).toBe("unknown");
    expect(formatWhen("2026-11-27T17:48:12.345Z")).toBe("2026-11-27 17:48 UTC");
  });
});

describe("model edit schemas", () => {
  it("refuses negative and non-numeric prices with a field path", () => {
    const r = changePriceSchema.safeParse({ modelId: "m", inputPerMillion: -1, outputPerMillion: Number.NaN });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["inputPerMillion", "outputPerMillion"]);
  });

  it("normalises tags to lowercase and refuses odd ones", () => {
    expect(updateModelSchema.parse({ id: "m", tags: ["Reasoning", " fast "] }).tags).toEqual(["reasoning", "fast"]);
    expect(updateModelSchema.safeParse({ id: "m", tags: ["has space"] }).success).toBe(false);
    expect(updateModelSchema.safeParse({ id: "m", tags: Array.from({ length: 9 }, (_, i) => `t${i}`) }).success).toBe(false);
  });
});
