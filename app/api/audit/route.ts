import { z } from "zod";
import { listAudit } from "@/lib/audit/audit";
import { defineRoute, parseQuery, queryId } from "@/lib/define-action";

export const dynamic = "force-dynamic";

const auditQuery = z.object({ before: queryId("before (the id of the last row seen)").optional() });

export const GET = defineRoute({ role: "admin" }, async (request, ctx) => {
  const { before } = parseQuery(request, auditQuery);
  return Response.json(await listAudit(ctx.db, { limit: 100, before }));
});
