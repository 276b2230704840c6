import { defineRoute } from "@/lib/define-action";
import { listModels } from "@/lib/models/models";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => {
  return Response.json(await listModels(ctx));
});
