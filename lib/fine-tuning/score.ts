// Scoring answers against expected ones: exact match, and for expected JSON objects whether the
// answer is a JSON object with the same keys and value types (a schema inferred from the target).

export interface AnswerScore {
  exactMatch: number;
  /** Share of JSON targets answered with schema-valid JSON; null when no target is JSON. */
  jsonValid: number | null;
  jsonTargets: number;
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text.trim());
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

export function matchesShape(answer: Record<string, unknown>, target: Record<string, unknown>): boolean {
  const a = Object.keys(answer).sort();
  const t = Object.keys(target).sort();
  return a.length === t.length && a.every((k, i) => k === t[i] && typeOf(answer[k]) === typeOf(target[k]));
}

export function scoreAnswers(answers: string[], expected: string[]): AnswerScore {
  let exact = 0;
  let jsonTargets = 0;
  let jsonValid = 0;
  expected.forEach((want, i) => {
    const got = answers[i] ?? "";
    if (got.trim() === want.trim()) exact++;
    const target = jsonObject(want);
    if (target) {
      jsonTargets++;
      const parsed = jsonObject(got);
      if (parsed && matchesShape(parsed, target)) jsonValid++;
    }
  });
  return {
    exactMatch: expected.length ? exact / expected.length : 0,
    jsonValid: jsonTargets ? jsonValid / jsonTargets : null,
    jsonTargets,
  };
}
