import { z } from "zod";
import { defineRoute, parseQuery, queryId } from "@/lib/define-action";
import { listUsage } from "@/lib/metering/usage";

export const dynamic = "force-dynamic";

const usageQuery = z.object({ limit: queryId("limit").max(500, "limit is at most 500.").default(50) });

/** The newest usage rows, as stored: every figure the playground shows can be checked against these. */
export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const { limit } = parseQuery(request, usageQuery);
  return Response.json(await listUsage(ctx.db, { limit }));
});
