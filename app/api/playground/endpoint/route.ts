import { defineRoute } from "@/lib/define-action";
import { AppError } from "@/lib/errors";
import { getPlaygroundEndpoint } from "@/lib/playground/endpoint";

export const dynamic = "force-dynamic";

/** Where a model is reached, for "view code": the console's gateway. Never includes a key. */
export const GET = defineRoute({ role: "member" }, async (request, ctx) => {
  const modelId = new URL(request.url).searchParams.get("modelId");
  if (!modelId) throw new AppError("VALIDATION", "modelId: choose a model.");
  return Response.json(await getPlaygroundEndpoint(ctx.db, modelId));
});
