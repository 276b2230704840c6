import { defineRoute } from "@/lib/define-action";
import { listProviders } from "@/lib/providers/providers";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "admin" }, async (_request, ctx) => {
  return Response.json(await listProviders(ctx));
});
