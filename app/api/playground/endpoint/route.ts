import { defineRoute } from "@/lib/define-action";
import { AppError } from "@/lib/errors";
import { apiKeyEnvName } from "@/lib/playground/code-snippets";
import { resolveModelTarget } from "@/lib/providers/resolve";

export const dynamic = "force-dynamic";

/** Where a model is reached, for "view code". Never includes the key itself. */
export const GET = defineRoute({ role: "member" }, async (request, ctx) => {
  const modelId = new URL(request.url).searchParams.get("modelId");
  if (!modelId) throw new AppError("VALIDATION", "modelId: choose a model.");
  const target = await resolveModelTarget(ctx.db, modelId);
  return Response.json({
    baseUrl: target.baseUrl,
    model: target.model.name,
    providerName: target.provider.name,
    providerKind: target.provider.kind,
    apiKeyEnv: apiKeyEnvName(target.provider.name, target.provider.kind),
  });
});
