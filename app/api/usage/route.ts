import { defineRoute } from "@/lib/define-action";
import { listUsage } from "@/lib/metering/usage";

export const dynamic = "force-dynamic";

/** The newest usage rows, as stored: every figure the playground shows can be checked against these. */
export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const limit = Number(new URL(request.url).searchParams.get("limit")) || 50;
  return Response.json(await listUsage(ctx.db, { limit }));
});
