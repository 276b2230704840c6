import { defineRoute } from "@/lib/define-action";
import { getEvalOverview } from "@/lib/evals/views";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => Response.json(await getEvalOverview(ctx.db)));
