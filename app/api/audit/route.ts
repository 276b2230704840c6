import { listAudit } from "@/lib/audit/audit";
import { defineRoute } from "@/lib/define-action";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "admin" }, async (request, ctx) => {
  const before = Number(new URL(request.url).searchParams.get("before")) || undefined;
  return Response.json(await listAudit(ctx.db, { limit: 100, before }));
});
