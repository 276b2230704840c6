"use server";

import { defineAction } from "@/lib/define-action";
import { AppError } from "@/lib/errors";
import { CaseParseError, parseCasesFile } from "@/lib/evals/cases";
import { createRunSchema, createSuiteSchema, runIdSchema } from "@/lib/evals/schemas";
import { cancelRun, createRun, createSuite } from "@/lib/evals/suites";
import { readSampleDataset } from "@/lib/evals/views";
import { pokeJobRunner } from "@/lib/jobs/registry";

export const createSuiteAction = defineAction(
  createSuiteSchema,
  async (input, ctx) => {
    const text = input.source === "dataset" ? await readSampleDataset(input.dataset!) : input.fileText!;
    let cases;
    try {
      cases = parseCasesFile(input.source === "dataset" ? "sample.jsonl" : (input.fileName ?? "upload.jsonl"), text);
    } catch (error) {
      if (error instanceof CaseParseError) throw new AppError("VALIDATION", `The file has problems: ${error.message}`, { fieldErrors: { fileText: [error.message] } });
      throw error;
    }
    const suite = await createSuite(ctx.db, { name: input.name, description: input.description, source: input.source, graders: input.graders, cases: cases.slice(0, input.maxCases) }, ctx.user.id);
    return { id: suite.id, caseCount: suite.caseCount };
  },
  { role: "member", revalidate: ["/evals"] },
);

export const createRunAction = defineAction(
  createRunSchema,
  async (input, ctx) => {
    const run = await createRun(ctx.db, input, ctx.user.id);
    pokeJobRunner();
    return { id: run.id };
  },
  { role: "member", revalidate: ["/evals"] },
);

export const cancelRunAction = defineAction(
  runIdSchema,
  async (input, ctx) => {
    if (!(await cancelRun(ctx.db, input.runId))) throw new AppError("CONFLICT", "That run has already finished.");
    return { id: input.runId };
  },
  { role: "member" },
);
