import { defineRoute } from "@/lib/define-action";
import { getFineTuningJobDetail } from "@/lib/fine-tuning/jobs";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>({ role: "viewer" }, async (_request, ctx) => {
  return Response.json(await getFineTuningJobDetail(ctx.db, ctx.params.id));
});
