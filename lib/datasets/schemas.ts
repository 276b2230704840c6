// Input of a dataset upload (query parameters beside the streamed file).
import { z } from "zod";
import { DATASET_FORMATS } from "./validate";

export const uploadQuerySchema = z
  .object({
    name: z.string().trim().min(1, "Give the dataset a name").max(120),
    format: z.enum(DATASET_FORMATS),
    baseModel: z.string().min(1, "Pick the base model to check lengths against"),
    validationPercent: z.coerce.number().int().min(0).max(50),
    promptColumn: z.string().trim().optional(),
    completionColumn: z.string().trim().optional(),
    systemColumn: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.format !== "csv") return;
    if (!v.promptColumn) ctx.addIssue({ code: "custom", path: ["promptColumn"], message: "Name the column holding the prompt" });
    if (!v.completionColumn) ctx.addIssue({ code: "custom", path: ["completionColumn"], message: "Name the column holding the completion" });
  });
export type UploadQuery = z.infer<typeof uploadQuerySchema>;
