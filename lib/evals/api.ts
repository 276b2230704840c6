// The evals management API's shapes (/api/v1/evals/runs): snake_case JSON in and out. Pure, so
// `npm run eval --url` builds its request and reads the answer with the same definitions the routes
// check them with.
import { z } from "zod";
import type { EvalCase } from "./cases";
import { graderSchema, type GraderSpec } from "./graders";
import type { ModelRunSummary } from "./summary";

const messageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });

/** `case_sensitive` on the wire, `caseSensitive` in lib. */
const apiGraderSchema = z.preprocess((g) => {
  if (g && typeof g === "object" && "case_sensitive" in g) {
    const { case_sensitive, ...rest } = g as Record<string, unknown>;
    return { ...rest, caseSensitive: case_sensitive };
  }
  return g;
}, graderSchema);

/**
 * Either a stored suite (`suite`: its name or id), or the cases themselves (`cases` with `graders`,
 * stored as a new suite named `suite_name` or after the time).
 */
export const createRunBodySchema = z
  .object({
    suite: z.string().min(1).optional(),
    suite_name: z.string().trim().min(1).max(100).optional(),
    cases: z
      .array(z.object({ messages: z.array(messageSchema).min(1, "A case needs at least one message."), expected: z.string() }))
      .min(1, "Give at least one case.")
      .max(5_000, "At most 5,000 cases.")
      .optional(),
    graders: z.array(apiGraderSchema).min(1, "Choose at least one grader.").max(7).optional(),
    models: z.array(z.string().min(1)).min(1, "Name at least one model.").max(8, "At most 8 models in one run."),
    concurrency: z.number().int().min(1).max(8).default(2),
    max_tokens: z.number().int().min(1).max(4096).default(256),
    temperature: z.number().min(0).max(2).default(0),
  })
  .superRefine((b, ctx) => {
    if (!b.suite && !b.cases) ctx.addIssue({ code: "custom", path: ["suite"], message: "Name a stored suite, or send cases." });
    if (b.suite && b.cases) ctx.addIssue({ code: "custom", path: ["cases"], message: "Send either suite or cases, not both." });
    if (b.cases && !b.graders) ctx.addIssue({ code: "custom", path: ["graders"], message: "Cases need graders." });
  });
export type CreateRunBody = z.input<typeof createRunBodySchema>;

export function createRunBody(input: { suite?: string; cases?: EvalCase[]; graders?: GraderSpec[]; suiteName?: string; models: string[]; concurrency: number; maxTokens: number }): CreateRunBody {
  return {
    ...(input.cases ? { cases: input.cases, graders: input.graders, suite_name: input.suiteName } : { suite: input.suite }),
    models: input.models,
    concurrency: input.concurrency,
    max_tokens: input.maxTokens,
    temperature: 0,
  };
}

export interface ApiRunSummary {
  model: string;
  model_id: string;
  cases: number;
  errors: number;
  quality: number;
  p50_ttft_ms: number | null;
  p95_ttft_ms: number | null;
  tokens_per_second: number | null;
  cost_usd: number;
  cost_per_1k: number | null;
}

export interface ApiEvalRun {
  object: "eval.run";
  id: string;
  suite: { id: string; name: string };
  status: "queued" | "running" | "done" | "cancelled" | "failed";
  models: string[];
  total: number;
  done: number;
  concurrency: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  summary: ApiRunSummary[];
}

export function toApiSummary(s: ModelRunSummary): ApiRunSummary {
  return {
    model: s.modelName,
    model_id: s.modelId,
    cases: s.cases,
    errors: s.errors,
    quality: s.quality,
    p50_ttft_ms: s.p50TtftMs,
    p95_ttft_ms: s.p95TtftMs,
    tokens_per_second: s.tokensPerSecond,
    cost_usd: s.costUsd,
    cost_per_1k: s.costPer1k,
  };
}

export function fromApiSummary(s: ApiRunSummary): ModelRunSummary {
  return {
    modelId: s.model_id,
    modelName: s.model,
    cases: s.cases,
    errors: s.errors,
    quality: s.quality,
    p50TtftMs: s.p50_ttft_ms,
    p95TtftMs: s.p95_ttft_ms,
    tokensPerSecond: s.tokens_per_second,
    costUsd: s.cost_usd,
    costPer1k: s.cost_per_1k,
  };
}

export const isFinished = (status: string) => status !== "queued" && status !== "running";
