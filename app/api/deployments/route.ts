import { defineRoute } from "@/lib/define-action";
import { listDeployments } from "@/lib/deployments/deployments";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "member" }, async (_request, ctx) => Response.json(await listDeployments(ctx)));
