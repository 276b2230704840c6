import { describe, expect, it } from "vitest";
import { ActionError, unwrapAction } from "./use-action-mutation";

describe("unwrapAction", () => {
  it("returns the data of a success", async () => {
    await expect(unwrapAction(Promise.resolve({ ok: true as const, data: { id: "m1" } }))).resolves.toEqual({ id: "m1" });
  });

  it("throws an ActionError that keeps the code, message and field errors", async () => {
    const failure = { ok: false as const, code: "CONFLICT" as const, message: "Already there.", fieldErrors: { email: ["Already there."] } };
    const error = await unwrapAction(failure).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code: "CONFLICT", message: "Already there.", fieldErrors: { email: ["Already there."] } });
  });

  it("turns a call that got no answer into an UNAVAILABLE ActionError", async () => {
    const error = await unwrapAction(Promise.reject(new TypeError("Failed to fetch"))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code: "UNAVAILABLE" });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe("ActionError.formMessage", () => {
  it("is the message when no field carries it", () => {
    expect(new ActionError({ code: "RATE_LIMITED", message: "Slow down." }).formMessage).toBe("Slow down.");
    expect(new ActionError({ code: "VALIDATION", message: "Bad.", fieldErrors: {} }).formMessage).toBe("Bad.");
  });

  it("is null when the fields show the problems", () => {
    expect(new ActionError({ code: "VALIDATION", message: "name: Enter a name.", fieldErrors: { name: ["Enter a name."] } }).formMessage).toBeNull();
  });
});
