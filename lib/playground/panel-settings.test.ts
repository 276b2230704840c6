import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, EXAMPLE_TOOLS, paramsToSettings, parseJsonWithLocation, settingsToParams } from "./panel-settings";

describe("panel settings", () => {
  it("turns the form into request params and back", () => {
    const s = { ...DEFAULT_SETTINGS, stop: "END\n\\n\\n", seed: "42", responseFormat: "json_schema" as const, toolsText: EXAMPLE_TOOLS, toolChoice: "required" as const };
    const { params, errors } = settingsToParams(s);
    expect(errors).toEqual({});
    expect(params.stop).toEqual(["END", "\n\n"]);
    expect(params.seed).toBe(42);
    expect(params.response_format?.type).toBe("json_schema");
    expect(params.tools?.[0].function.name).toBe("get_weather");
    expect(params.tool_choice).toBe("required");
    expect(settingsToParams(paramsToSettings(params)).params).toEqual(params);
  });

  it("names the field and line of bad JSON", () => {
    const { errors } = settingsToParams({ ...DEFAULT_SETTINGS, responseFormat: "json_schema", schemaText: '{\n  "type": "object",\n  oops\n}' });
    expect(errors.schema).toMatch(/^JSON schema, line 3, column \d+: not valid JSON$/);
    expect(parseJsonWithLocation("[1, 2")).toEqual({ ok: false, error: expect.stringMatching(/line 1|cut short/) });
  });

  it("refuses a seed that is not a whole number and too many stops", () => {
    const { errors } = settingsToParams({ ...DEFAULT_SETTINGS, seed: "1.5", stop: "a\nb\nc\nd\ne" });
    expect(errors).toEqual({ seed: "The seed is a whole number.", stop: "At most 4 stop sequences." });
  });
});
