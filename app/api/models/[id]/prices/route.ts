import { defineRoute } from "@/lib/define-action";
import { getModelPriceHistory } from "@/lib/models/models";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>({ role: "viewer" }, async (_request, ctx) => {
  return Response.json(await getModelPriceHistory(ctx, ctx.params.id));
});
