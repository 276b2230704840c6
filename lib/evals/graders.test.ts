import { describe, expect, it } from "vitest";
import { gradeSync, graderSchema, normalize, parseJudgeReply } from "./graders";
import { CaseParseError, parseCsvCases, parseJsonlCases } from "./cases";

describe("graders", () => {
  it("exact trims but is otherwise strict", () => {
    expect(gradeSync({ type: "exact" }, " Ivan,Hanoi,72\n", "Ivan,Hanoi,72").score).toBe(1);
    expect(gradeSync({ type: "exact" }, "ivan,Hanoi,72", "Ivan,Hanoi,72").score).toBe(0);
  });
  it("normalised ignores case, punctuation and spacing", () => {
    expect(normalize("  Hello,   WORLD! ")).toBe("hello world");
    expect(gradeSync({ type: "normalized" }, "Paris.", "paris").score).toBe(1);
    expect(gradeSync({ type: "normalized" }, "Lyon", "paris").score).toBe(0);
  });
  it("contains, regex", () => {
    expect(gradeSync({ type: "contains", caseSensitive: false }, "The answer is PARIS", "paris").score).toBe(1);
    expect(gradeSync({ type: "contains", caseSensitive: true }, "The answer is PARIS", "paris").score).toBe(0);
    expect(gradeSync({ type: "regex", pattern: "^\\w+,\\w+,\\d+$", flags: "" }, "Ivan,Hanoi,72", "").score).toBe(1);
    expect(gradeSync({ type: "regex", pattern: "^\\d+$", flags: "" }, "72 years", "").score).toBe(0);
  });
  it("json schema: parses and validates, naming the first problem", () => {
    const schema = { type: "object", required: ["age"], properties: { age: { type: "integer", maximum: 99 } } };
    expect(gradeSync({ type: "json-schema", schema }, '{"age": 42}', "").score).toBe(1);
    expect(gradeSync({ type: "json-schema", schema }, '{"age": 120}', "")).toEqual({ score: 0, reason: "invalid: /age must be <= 99" });
    expect(gradeSync({ type: "json-schema", schema }, "{age: 1}", "").reason).toBe("not valid JSON");
  });
  it("numeric within an absolute or relative tolerance", () => {
    expect(gradeSync({ type: "numeric", tolerance: 0.5, relative: false }, "about 10.4", "10").score).toBe(1);
    expect(gradeSync({ type: "numeric", tolerance: 0.5, relative: false }, "11", "10").score).toBe(0);
    expect(gradeSync({ type: "numeric", tolerance: 0.1, relative: true }, "1,050", "1000").score).toBe(1);
    expect(gradeSync({ type: "numeric", tolerance: 0, relative: false }, "none", "3").reason).toBe("no number in the answer");
  });
  it("refuses a bad regex when the grader is defined", () => {
    expect(graderSchema.safeParse({ type: "regex", pattern: "(" }).success).toBe(false);
  });
  it("reads a judge's 1-5 score and reason", () => {
    expect(parseJudgeReply("SCORE: 4 REASON: mostly right")).toEqual({ score: 0.75, raw: 4, reason: "4/5: mostly right" });
    expect(parseJudgeReply("I think it is fine").raw).toBeNull();
  });
});

describe("cases", () => {
  it("JSONL: the last assistant message is the expected answer", () => {
    const cases = parseJsonlCases('{"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}]}\n\n');
    expect(cases).toEqual([{ messages: [{ role: "user", content: "2+2?" }], expected: "4" }]);
  });
  it("JSONL: names every bad line", () => {
    const bad = 'nope\n{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]}\n{"messages":[]}';
    try {
      parseJsonlCases(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CaseParseError);
      expect((e as CaseParseError).problems.map((p) => p.line)).toEqual([1, 2, 3]);
      expect((e as CaseParseError).message).toContain("line 2: the last message must be the assistant's expected answer");
    }
  });
  it("CSV with quoted fields and an optional system column", () => {
    const cases = parseCsvCases('input,expected,system\n"Hi, there","Hello ""you""",Be brief\nSecond,2,\n');
    expect(cases[0]).toEqual({ messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Hi, there" }], expected: 'Hello "you"' });
    expect(cases[1].messages).toEqual([{ role: "user", content: "Second" }]);
    expect(() => parseCsvCases("question,answer\na,b")).toThrow("line 1: the header needs the columns input and expected");
    expect(() => parseCsvCases("input,expected\n,b")).toThrow("line 2: input is empty");
  });
});
