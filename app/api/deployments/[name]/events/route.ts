import { defineRoute } from "@/lib/define-action";
import { listDeploymentEvents } from "@/lib/deployments/deployments";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ name: string }>({ role: "member" }, async (_request, ctx) => Response.json(await listDeploymentEvents(ctx, ctx.params.name)));
