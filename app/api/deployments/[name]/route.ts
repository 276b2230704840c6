import { defineRoute } from "@/lib/define-action";
import { getDeployment } from "@/lib/deployments/deployments";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ name: string }>({ role: "member" }, async (_request, ctx) => Response.json(await getDeployment(ctx, ctx.params.name)));
