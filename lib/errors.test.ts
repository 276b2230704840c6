import { describe, expect, it, vi } from "vitest";
import { AppError, errorResponse, httpStatus, toActionFailure, toAppError } from "./errors";

describe("errors", () => {
  it("maps codes to HTTP statuses", () => {
    expect(httpStatus("FORBIDDEN")).toBe(403);
    expect(httpStatus("RATE_LIMITED")).toBe(429);
    expect(httpStatus("VALIDATION")).toBe(400);
  });

  it("keeps an AppError's code, message and field errors in an action result", () => {
    const failure = toActionFailure(new AppError("VALIDATION", "Check the form.", { fieldErrors: { email: ["Required"] } }));
    expect(failure).toEqual({ ok: false, code: "VALIDATION", message: "Check the form.", fieldErrors: { email: ["Required"] } });
  });

  it("never passes an unknown error's text to the client", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const failure = toActionFailure(new Error("password=hunter2 at db.ts:12"));
    expect(failure.code).toBe("INTERNAL");
    expect(failure.message).not.toContain("hunter2");
    const response = errorResponse(new Error("secret upstream body"));
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret upstream body");
    log.mockRestore();
  });

  it("sets Retry-After for rate limits", () => {
    const response = errorResponse(new AppError("RATE_LIMITED", "Slow down.", { retryAfterSeconds: 30 }));
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("30");
  });
});

describe("AppError across module copies", () => {
  it("is recognised when another copy of lib/errors made it (server and Next bundles load it separately)", async () => {
    vi.resetModules();
    const copy = "./errors?copy"; // a query string makes Vite load a second instance of the module
    const other = (await import(/* @vite-ignore */ copy)) as typeof import("./errors");
    const foreign = new other.AppError("FORBIDDEN", "Your access was removed while this answer was streaming.");
    expect(other.AppError).not.toBe(AppError);
    expect(foreign).toBeInstanceOf(AppError);
    expect(toAppError(foreign)).toBe(foreign);
    expect(new Error("plain")).not.toBeInstanceOf(AppError);
    expect((null as unknown) instanceof AppError).toBe(false);
  });
});
