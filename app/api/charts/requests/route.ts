import { listRequestsInBucket } from "@/lib/charts/queries";
import { requestsBehindSchema } from "@/lib/charts/schemas";
import { defineRoute } from "@/lib/define-action";
import { validationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The stored requests behind one chart point (one bucket, optionally one model or status). */
export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const parsed = requestsBehindSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const q = parsed.data;
  const rows = await listRequestsInBucket(ctx.db, { bucket: new Date(q.bucket), grain: q.grain, modelName: q.point_model, status: q.status, filters: q });
  return Response.json(rows.map((r) => ({ ...r, at: r.at.toISOString(), costUsd: r.costUsd === null ? null : Number(r.costUsd) })));
});
