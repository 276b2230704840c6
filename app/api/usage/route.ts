import { defineRoute } from "@/lib/define-action";
import { listRecentUsage } from "@/lib/metering/usage";

export const dynamic = "force-dynamic";

/** The newest usage rows, as stored: every figure the playground shows can be checked against these. */
export const GET = defineRoute({ role: "viewer" }, async (request, ctx) => {
  const limit = Number(new URL(request.url).searchParams.get("limit")) || 50;
  const rows = await listRecentUsage(ctx.db, { limit });
  return Response.json(
    rows.map((r) => ({
      requestId: r.requestId,
      at: r.at.toISOString(),
      source: r.source,
      apiKeyId: r.apiKeyId,
      providerName: r.providerName,
      modelName: r.modelName,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      ttftMs: r.ttftMs,
      totalMs: r.totalMs,
      costUsd: r.costUsd === null ? null : Number(r.costUsd),
      status: r.status,
      finishReason: r.finishReason,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
    })),
  );
});
