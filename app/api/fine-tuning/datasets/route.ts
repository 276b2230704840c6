import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createDataset, listDatasets } from "@/lib/datasets/datasets";
import { uploadQuerySchema } from "@/lib/datasets/schemas";
import { defineRoute } from "@/lib/define-action";
import { AppError, validationError } from "@/lib/errors";
import { listBaseModels } from "@/lib/fine-tuning/bases";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => {
  return Response.json(await listDatasets(ctx.db));
});

/**
 * Upload: the file is the raw request body (streamed to disk, never held in memory); name, format,
 * CSV mapping, the base to check lengths against and the validation share are query parameters.
 * 201 with the dataset, or 422 with every bad line.
 */
export const POST = defineRoute({ role: "member" }, async (request, ctx) => {
  const query = uploadQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw validationError(query.error);
  const q = query.data;
  const base = (await listBaseModels()).find((b) => b.name === q.baseModel);
  if (!base) throw new AppError("VALIDATION", `There is no local model named "${q.baseModel}".`, { fieldErrors: { baseModel: ["no such model"] } });
  if (!base.trainable) throw new AppError("VALIDATION", `The trainer cannot fine-tune ${base.name}: ${base.reason}.`, { fieldErrors: { baseModel: [base.reason!] } });
  if (!request.body) throw new AppError("VALIDATION", "Choose a file to upload.", { fieldErrors: { file: ["required"] } });
  const result = await createDataset(ctx.db, Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>), {
    name: q.name,
    format: q.format,
    csvMapping: q.format === "csv" ? { prompt: q.promptColumn ?? "", completion: q.completionColumn ?? "", system: q.systemColumn || undefined } : undefined,
    contextLength: base.contextLength ?? 256,
    validationPercent: q.validationPercent,
    createdBy: ctx.user.id,
  });
  if (!result.ok) return Response.json(result, { status: 422 });
  return Response.json(result, { status: result.existed ? 200 : 201 });
});
