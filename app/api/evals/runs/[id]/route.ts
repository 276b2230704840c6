import { defineRoute } from "@/lib/define-action";
import { AppError } from "@/lib/errors";
import { getRunDetail } from "@/lib/evals/views";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>({ role: "viewer" }, async (_request, ctx) => {
  const detail = await getRunDetail(ctx.db, ctx.params.id);
  if (!detail) throw new AppError("NOT_FOUND", "That eval run does not exist.");
  return Response.json(detail);
});
