import { listApiKeys } from "@/lib/api-keys/api-keys";
import { defineRoute } from "@/lib/define-action";

export const dynamic = "force-dynamic";

/** The caller's own keys (every key for an admin); never a secret. */
export const GET = defineRoute({ role: "member" }, async (_request, ctx) => {
  return Response.json(await listApiKeys(ctx.db, ctx.user));
});
