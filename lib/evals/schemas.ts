// Inputs of the /evals actions (browser-safe).
import { z } from "zod";
import { graderSchema } from "./graders";

export const SAMPLE_DATASETS = {
  "finetune-csv.val": "CSV extraction, 200 held-out conversations (assets/starter)",
  "finetune-csv.train": "CSV extraction, 1,000 training conversations (assets/starter)",
} as const;
export type SampleDataset = keyof typeof SAMPLE_DATASETS;

export const createSuiteSchema = z
  .object({
    name: z.string().trim().min(1, "Name the suite.").max(100, "At most 100 characters."),
    description: z.string().trim().max(500).default(""),
    source: z.enum(["dataset", "upload"]),
    dataset: z.enum(Object.keys(SAMPLE_DATASETS) as [SampleDataset, ...SampleDataset[]]).optional(),
    fileName: z.string().max(200).optional(),
    fileText: z.string().max(5_000_000, "The file is larger than 5 MB.").optional(),
    maxCases: z.coerce.number().int().min(1, "At least one case.").max(5000).default(50),
    graders: z.array(graderSchema).min(1, "Choose at least one grader.").max(7),
  })
  .superRefine((v, ctx) => {
    if (v.source === "dataset" && !v.dataset) ctx.addIssue({ code: "custom", path: ["dataset"], message: "Choose a dataset." });
    if (v.source === "upload" && !v.fileText) ctx.addIssue({ code: "custom", path: ["fileText"], message: "Choose a .jsonl or .csv file." });
  });

export const createRunSchema = z.object({
  suiteId: z.string().min(1, "Choose a suite."),
  modelIds: z.array(z.string().min(1)).min(1, "Choose at least one model.").max(8, "At most 8 models in one run."),
  concurrency: z.coerce.number().int().min(1).max(8).default(2),
});

export const runIdSchema = z.object({ runId: z.string().min(1) });
