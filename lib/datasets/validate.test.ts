import { describe, expect, it } from "vitest";
import { DatasetChecker, checkCsvHeader, checkCsvRow, checkJsonlLine, isValidationIndex } from "./validate";

const chat = (messages: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ messages, ...extra });

describe("dataset line checks", () => {
  it("accepts chat lines with optional tools, and prompt/completion lines", () => {
    const ok = checkJsonlLine(chat([{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }], { tools: [{ type: "function" }] }));
    expect(ok).toMatchObject({ hasTools: true, messages: [{ role: "user" }, { role: "assistant", content: "hello" }] });
    expect(checkJsonlLine(JSON.stringify({ prompt: "2+2", completion: "4" }))).toMatchObject({
      messages: [{ role: "user", content: "2+2" }, { role: "assistant", content: "4" }],
    });
    expect(checkJsonlLine("   ")).toBeNull();
  });

  it("names what is wrong with each kind of bad line", () => {
    expect(checkJsonlLine("{not json")).toMatch(/^not JSON/);
    expect(checkJsonlLine(chat([{ role: "wizard", content: "x" }, { role: "assistant", content: "y" }]))).toMatch(/unknown role "wizard"/);
    expect(checkJsonlLine(chat([{ role: "user", content: "only a question" }]))).toMatch(/no assistant turn/);
    expect(checkJsonlLine(chat([{ role: "user", content: "q" }, { role: "assistant", content: "  " }]))).toMatch(/messages\[1\] \(assistant\) has empty content/);
    expect(checkJsonlLine(JSON.stringify({ prompt: "q", completion: "" }))).toMatch(/"completion" is empty/);
    expect(checkJsonlLine("[1,2]")).toBe("expected a JSON object");
    expect(checkJsonlLine(JSON.stringify({ text: "x" }))).toMatch(/expected \{"messages"/);
  });

  it("lists every bad line of a broken file by number, with lengths over the context refused", () => {
    const lines = [
      chat([{ role: "user", content: "a" }, { role: "assistant", content: "b" }]),
      "{oops",
      chat([{ role: "user", content: "x".repeat(300) }, { role: "assistant", content: "y" }]),
      chat([{ role: "user", content: "a" }]),
      chat([{ role: "user", content: "c" }, { role: "assistant", content: "d" }]),
    ];
    const checker = new DatasetChecker({ contextLength: 256, validationPercent: 0 });
    lines.forEach((l, i) => {
      const c = checkJsonlLine(l);
      if (c !== null) checker.add(i + 1, c);
    });
    expect(checker.issues.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(checker.issues[1].reason).toBe("305 tokens, longer than the base model's context of 256 tokens");
    expect(checker.stats().examples).toBe(2);
  });

  it("counts tokens, the assistant share and a length histogram", () => {
    const checker = new DatasetChecker({ contextLength: 240, validationPercent: 0 });
    // <|user|> + 2 bytes + <|end|> + <|assistant|> + 4 bytes + <|end|> = 10 tokens; 5 learned (answer + its end)
    checker.add(1, checkJsonlLine(chat([{ role: "user", content: "hi" }, { role: "assistant", content: "abcd" }]))!);
    const s = checker.stats();
    expect(s).toMatchObject({ examples: 1, tokens: 10, assistantTokens: 5, assistantShare: 0.5, minTokens: 10, maxTokens: 10 });
    expect(s.histogram).toHaveLength(12);
    expect(s.histogram[0]).toEqual({ from: 0, to: 20, count: 1 });
  });

  it("splits exactly the asked share to validation, spread through the file", () => {
    const picked = Array.from({ length: 100 }, (_, i) => isValidationIndex(i, 10));
    expect(picked.filter(Boolean)).toHaveLength(10);
    expect(picked.slice(0, 10).filter(Boolean)).toHaveLength(1);
    expect(Array.from({ length: 50 }, (_, i) => isValidationIndex(i, 0)).some(Boolean)).toBe(false);
  });

  it("maps CSV columns and names missing columns and empty cells", () => {
    const mapping = { prompt: "question", completion: "answer" };
    expect(checkCsvHeader(["question", "answer"], mapping)).toBeNull();
    expect(checkCsvHeader(["q", "answer"], mapping)).toBe(`the header has no column "question" (columns: "q", "answer")`);
    expect(checkCsvRow({ question: "2+2", answer: "4" }, mapping)).toMatchObject({ messages: [{ role: "user" }, { role: "assistant", content: "4" }] });
    expect(checkCsvRow({ question: "2+2", answer: "" }, mapping)).toBe(`column "answer" is empty`);
  });
});
