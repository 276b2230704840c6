// For tests: the AppError a promise rejects with (failing the test if it resolves or throws anything else).
import { expect } from "vitest";
import { AppError, type ErrorCode } from "@/lib/errors";

export async function appErrorOf(promise: Promise<unknown>, code?: ErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  if (code) expect((error as AppError).code).toBe(code);
  return error as AppError;
}
