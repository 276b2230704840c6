import { defineRoute } from "@/lib/define-action";
import { getUsageChartData } from "@/lib/charts/usage-data";
import { chartQuerySchema } from "@/lib/charts/schemas";
import { validationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Usage series for /charts, from rollups: ?range=1h|24h|7d|30d|custom[&from&to]&model=a,b&source=... */
export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const parsed = chartQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return Response.json(await getUsageChartData(ctx.db, parsed.data));
});
