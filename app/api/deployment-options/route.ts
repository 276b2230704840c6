import { defineRoute } from "@/lib/define-action";
import { getDeploymentFormOptions } from "@/lib/deployments/deployments";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "admin" }, async (_request, ctx) => Response.json(await getDeploymentFormOptions(ctx)));
