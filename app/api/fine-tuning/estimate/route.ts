import { z } from "zod";
import { defineRoute } from "@/lib/define-action";
import { validationError } from "@/lib/errors";
import { estimateFineTuningJob } from "@/lib/fine-tuning/jobs";
import { hyperparametersSchema, validationSourceSchema } from "@/lib/fine-tuning/schemas";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  baseModel: z.string().min(1),
  datasetId: z.string().min(1),
  validation: z
    .string()
    .default('{"kind":"none"}')
    .transform((s, ctx) => {
      try {
        return validationSourceSchema.parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: 'validation must be {"kind":"split"}, {"kind":"none"} or {"kind":"dataset","datasetId":"..."}' });
        return z.NEVER;
      }
    }),
  hyperparameters: z.string().transform((s, ctx) => {
    let json: unknown;
    try {
      json = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: "custom", message: "hyperparameters must be a JSON object, e.g. {\"epochs\":2}" });
      return z.NEVER;
    }
    const parsed = hyperparametersSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    // Each bad value under its own name (hyperparameters.learningRate: ...), as the wizard's fields are.
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  }),
});

export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return Response.json(await estimateFineTuningJob(ctx.db, parsed.data));
});
