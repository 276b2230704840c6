import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { apiError, snakeParam } from "./api";

describe("management API errors", () => {
  it("name the field in snake_case, in OpenAI's shape", async () => {
    expect(snakeParam("engine.contextSize")).toBe("engine.context_size");
    expect(snakeParam("modelId")).toBe("model");
    const res = apiError(new AppError("VALIDATION", "x", { fieldErrors: { minReplicas: ["The minimum (3) is above the maximum (2)."] } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { message: "min_replicas: The minimum (3) is above the maximum (2).", type: "invalid_request_error", param: "min_replicas", code: "validation" },
    });
    const missing = apiError(new AppError("NOT_FOUND", 'There is no deployment named "x".'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: "not_found_error", param: null, code: "not_found" } });
  });
});
