// Graders: each turns (output, expected) into a score in 0..1 with a short reason. All are pure
// except the LLM judge, which asks a model (given as a function so the runner decides how to call it).
import Ajv from "ajv";
import { z } from "zod";

export const graderSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("exact") }),
  z.object({ type: z.literal("normalized") }),
  z.object({ type: z.literal("contains"), caseSensitive: z.boolean().default(false) }),
  z.object({
    type: z.literal("regex"),
    pattern: z
      .string()
      .min(1, "Write a pattern.")
      .max(500)
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, "Not a valid regular expression."),
    flags: z.string().regex(/^[imsu]*$/, "Flags may be i, m, s, u.").default(""),
  }),
  z.object({ type: z.literal("json-schema"), schema: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("numeric"), tolerance: z.number().min(0).default(0), relative: z.boolean().default(false) }),
  z.object({ type: z.literal("judge"), model: z.string().min(1, "Choose the judge model."), rubric: z.string().min(1, "Write the rubric.").max(4000) }),
]);
export type GraderSpec = z.output<typeof graderSchema>;
export type GraderType = GraderSpec["type"];

export interface Grade {
  score: number;
  reason: string;
}

export function normalize(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const firstNumber = (s: string) => {
  const m = s.replace(/,(?=\d{3}\b)/g, "").match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/i);
  return m ? Number(m[0]) : null;
};

const ajv = new Ajv({ allErrors: false, strict: false });

export function gradeSync(spec: Exclude<GraderSpec, { type: "judge" }>, output: string, expected: string): Grade {
  switch (spec.type) {
    case "exact": {
      const ok = output.trim() === expected.trim();
      return { score: ok ? 1 : 0, reason: ok ? "exact match" : "differs from the expected answer" };
    }
    case "normalized": {
      const ok = normalize(output) === normalize(expected);
      return { score: ok ? 1 : 0, reason: ok ? "matches after normalising case, punctuation and spaces" : "differs even after normalising" };
    }
    case "contains": {
      const ok = spec.caseSensitive ? output.includes(expected) : output.toLowerCase().includes(expected.toLowerCase());
      return { score: ok ? 1 : 0, reason: ok ? "contains the expected text" : "does not contain the expected text" };
    }
    case "regex": {
      const ok = new RegExp(spec.pattern, spec.flags).test(output);
      return { score: ok ? 1 : 0, reason: ok ? `matches /${spec.pattern}/` : `does not match /${spec.pattern}/` };
    }
    case "json-schema": {
      let value: unknown;
      try {
        value = JSON.parse(output);
      } catch {
        return { score: 0, reason: "not valid JSON" };
      }
      const validate = ajv.compile(spec.schema);
      if (validate(value)) return { score: 1, reason: "valid against the schema" };
      const e = validate.errors?.[0];
      return { score: 0, reason: `invalid: ${e?.instancePath || "/"} ${e?.message ?? ""}`.trim() };
    }
    case "numeric": {
      const got = firstNumber(output);
      const want = firstNumber(expected);
      if (want === null) return { score: 0, reason: "the expected answer has no number" };
      if (got === null) return { score: 0, reason: "no number in the answer" };
      const allowed = spec.relative ? Math.abs(want) * spec.tolerance : spec.tolerance;
      const ok = Math.abs(got - want) <= allowed;
      return { score: ok ? 1 : 0, reason: `${got} vs ${want} (tolerance ${spec.relative ? `${spec.tolerance * 100}%` : spec.tolerance})` };
    }
  }
}

/** Checks a JSON schema grader compiles, so a bad schema is refused when the suite is saved. */
export function checkGrader(spec: GraderSpec): string | null {
  if (spec.type !== "json-schema") return null;
  try {
    ajv.compile(spec.schema);
    return null;
  } catch (error) {
    return `Not a valid JSON schema: ${(error as Error).message}`;
  }
}

export function judgePrompt(rubric: string, messages: { role: string; content: string }[], output: string, expected: string) {
  const conversation = messages.map((m) => `${m.role}: ${m.content}`).join("\n");
  return [
    {
      role: "system" as const,
      content:
        "You grade answers. Reply with one line: SCORE: <1-5> REASON: <one sentence>. 5 means fully meets the rubric, 1 means not at all.",
    },
    { role: "user" as const, content: `Rubric: ${rubric}\n\nConversation:\n${conversation}\n\nReference answer: ${expected}\n\nAnswer to grade: ${output}` },
  ];
}

/** Reads "SCORE: n REASON: ..." from a judge's reply; the 1-5 score maps to 0..1. */
export function parseJudgeReply(reply: string): Grade & { raw: number | null } {
  const m = reply.match(/score\s*[:=]?\s*([1-5])(?:\s*\/\s*5)?/i);
  if (!m) return { score: 0, raw: null, reason: `the judge gave no 1-5 score: ${reply.trim().slice(0, 200)}` };
  const raw = Number(m[1]);
  const reason = reply.match(/reason\s*[:=]\s*([\s\S]*)/i)?.[1]?.trim().slice(0, 500) || reply.trim().slice(0, 500);
  return { score: (raw - 1) / 4, raw, reason: `${raw}/5: ${reason}` };
}

export const GRADER_LABELS: Record<GraderType, string> = {
  exact: "Exact match",
  normalized: "Normalised match",
  contains: "Contains",
  regex: "Regex",
  "json-schema": "Valid JSON (schema)",
  numeric: "Numeric within tolerance",
  judge: "LLM judge",
};
