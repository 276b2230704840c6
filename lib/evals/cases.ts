// Eval cases from a JSONL dataset (the fine-tuning format: the last assistant message is the
// expected answer) or a CSV (columns input, expected; optional system). Every bad line is named.
import { z } from "zod";

export interface EvalMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface EvalCase {
  messages: EvalMessage[];
  expected: string;
}

export class CaseParseError extends Error {
  constructor(readonly problems: { line: number; message: string }[]) {
    super(problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join("; ") + (problems.length > 5 ? `; and ${problems.length - 5} more` : ""));
  }
}

const messageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
const lineSchema = z.object({ messages: z.array(messageSchema).min(2, "needs at least a user message and the expected assistant answer") });

export const MAX_CASES = 5_000;

export function parseJsonlCases(text: string): EvalCase[] {
  const cases: EvalCase[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      problems.push({ line: i + 1, message: "not valid JSON" });
      return;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push({ line: i + 1, message: `${issue.path.join(".") || "line"}: ${issue.message}` });
      return;
    }
    const msgs = parsed.data.messages;
    const last = msgs[msgs.length - 1];
    if (last.role !== "assistant") {
      problems.push({ line: i + 1, message: "the last message must be the assistant's expected answer" });
      return;
    }
    if (!msgs.slice(0, -1).some((m) => m.role === "user")) {
      problems.push({ line: i + 1, message: "needs a user message before the expected answer" });
      return;
    }
    cases.push({ messages: msgs.slice(0, -1), expected: last.content });
  });
  if (problems.length) throw new CaseParseError(problems);
  if (cases.length === 0) throw new CaseParseError([{ line: 1, message: "no cases in the file" }]);
  if (cases.length > MAX_CASES) throw new CaseParseError([{ line: MAX_CASES + 1, message: `at most ${MAX_CASES} cases in a suite` }]);
  return cases;
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines). */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

export function parseCsvCases(text: string): EvalCase[] {
  const rows = parseCsvRows(text);
  if (rows.length === 0) throw new CaseParseError([{ line: 1, message: "the file is empty" }]);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const input = header.indexOf("input");
  const expected = header.indexOf("expected");
  const system = header.indexOf("system");
  if (input < 0 || expected < 0) throw new CaseParseError([{ line: 1, message: "the header needs the columns input and expected" }]);
  const problems: { line: number; message: string }[] = [];
  const cases: EvalCase[] = [];
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    if (!r[input]?.trim()) problems.push({ line, message: "input is empty" });
    else if (r[expected] === undefined) problems.push({ line, message: "expected is missing" });
    else
      cases.push({
        messages: [...(system >= 0 && r[system]?.trim() ? [{ role: "system" as const, content: r[system] }] : []), { role: "user", content: r[input] }],
        expected: r[expected],
      });
  });
  if (problems.length) throw new CaseParseError(problems);
  if (cases.length === 0) throw new CaseParseError([{ line: 2, message: "no cases under the header" }]);
  return cases;
}

export function parseCasesFile(name: string, text: string): EvalCase[] {
  return name.toLowerCase().endsWith(".csv") ? parseCsvCases(text) : parseJsonlCases(text);
}
