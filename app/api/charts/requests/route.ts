import { z } from "zod";
import { ROLLUP_GRAINS } from "@/db/schema";
import { listRequestsInBucket } from "@/lib/charts/queries";
import { usageFilterSchema } from "@/lib/charts/schemas";
import { defineRoute } from "@/lib/define-action";
import { validationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const schema = usageFilterSchema.extend({
  bucket: z.iso.datetime({ offset: true }),
  grain: z.enum(ROLLUP_GRAINS),
  point_model: z.string().optional(),
  status: z.enum(["ok", "error", "aborted"]).optional(),
});

/** The stored requests behind one chart point (one bucket, optionally one model or status). */
export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const q = parsed.data;
  const rows = await listRequestsInBucket(ctx.db, { bucket: new Date(q.bucket), grain: q.grain, modelName: q.point_model, status: q.status, filters: q });
  return Response.json(rows.map((r) => ({ ...r, at: r.at.toISOString(), costUsd: r.costUsd === null ? null : Number(r.costUsd) })));
});
