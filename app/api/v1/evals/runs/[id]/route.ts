// Evals management API: one run, its progress and its per-model summary.
import { getApiRun } from "@/lib/evals/api-runs";
import { AppError } from "@/lib/errors";
import { defineApiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute<{ id: string }>("viewer", async (_request, ctx) => {
  const run = await getApiRun(ctx.db, ctx.params.id);
  if (!run) throw new AppError("NOT_FOUND", `There is no eval run ${ctx.params.id}.`);
  return Response.json(run);
});
