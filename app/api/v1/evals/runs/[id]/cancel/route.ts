// Evals management API: cancel a queued or running run (409 once it has finished).
import { getApiRun } from "@/lib/evals/api-runs";
import { cancelRun } from "@/lib/evals/suites";
import { AppError } from "@/lib/errors";
import { defineApiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const POST = defineApiRoute<{ id: string }>("member", async (_request, ctx) => {
  const run = await getApiRun(ctx.db, ctx.params.id);
  if (!run) throw new AppError("NOT_FOUND", `There is no eval run ${ctx.params.id}.`);
  if (!(await cancelRun(ctx.db, run.id))) throw new AppError("CONFLICT", `The eval run has already finished (${run.status}).`);
  return Response.json(await getApiRun(ctx.db, run.id));
});
