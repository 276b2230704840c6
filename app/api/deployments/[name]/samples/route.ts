import { defineRoute } from "@/lib/define-action";
import { listDeploymentSamples } from "@/lib/deployments/deployments";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ name: string }>({ role: "member" }, async (_request, ctx) => Response.json(await listDeploymentSamples(ctx, ctx.params.name)));
