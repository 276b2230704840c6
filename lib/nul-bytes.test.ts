import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertNoNulBytes, nulBytePath } from "./nul-bytes";

describe("NUL characters in input", () => {
  it("finds the first string or key holding one, by its path", () => {
    expect(nulBytePath({ name: "ok", panels: [{ messages: [{ content: "a\u0000b" }] }] })).toBe("panels.0.messages.0.content");
    expect(nulBytePath({ ["k\u0000"]: 1 })).toBe("k\\u0000");
    expect(nulBytePath("x\u0000")).toBe("(input)");
    expect(nulBytePath({ name: "fine", n: 1, list: ["a", null] })).toBeNull();
  });

  it("refuses it as a validation error naming the field", () => {
    let error: unknown;
    try {
      assertNoNulBytes({ name: "Bad\u0000name" }, "params");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION");
    expect((error as AppError).message).toBe("params.name: must not contain the NUL character (\\u0000).");
    expect((error as AppError).fieldErrors).toEqual({ "params.name": ["Must not contain the NUL character (\\u0000)."] });
  });
});
