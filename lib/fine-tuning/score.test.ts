import { describe, expect, it } from "vitest";
import { scoreAnswers } from "./score";

describe("answer scoring", () => {
  it("counts exact matches, ignoring surrounding whitespace", () => {
    expect(scoreAnswers(["Maria,Lisbon,34 ", "Kenji,Oslo,72"], ["Maria,Lisbon,34", "Kenji,Oslo,27"])).toEqual({ exactMatch: 0.5, jsonValid: null, jsonTargets: 0 });
  });
  it("rates JSON answers valid when keys and value types match the target's", () => {
    const want = ['{"name":"Maria","age":34}', '{"name":"Kenji","age":27}', '{"name":"Ana","age":5}', "plain"];
    const got = ['{"age":33,"name":"Maria"}', '{"name":"Kenji","age":"27"}', "{not json", "plain"];
    expect(scoreAnswers(got, want)).toEqual({ exactMatch: 0.25, jsonValid: 1 / 3, jsonTargets: 3 });
  });
});
