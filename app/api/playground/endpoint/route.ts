import { defineRoute } from "@/lib/define-action";
import { publicUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { resolveTarget } from "@/lib/inference/resolve";
import { gatewayEndpoint } from "@/lib/playground/code-snippets";

export const dynamic = "force-dynamic";

/** Where a model is reached, for "view code": the console's gateway. Never includes a key. */
export const GET = defineRoute({ role: "member" }, async (request, ctx) => {
  const modelId = new URL(request.url).searchParams.get("modelId");
  if (!modelId) throw new AppError("VALIDATION", "modelId: choose a model.");
  const target = await resolveTarget(ctx.db, modelId);
  return Response.json({
    ...gatewayEndpoint(publicUrl(), target.publicId),
    providerName: target.provider.name,
    providerKind: target.provider.kind,
    // The provider's own URL (for the local engine: its current port), which benchmarks compare against.
    providerBaseUrl: target.baseUrl,
  });
});
