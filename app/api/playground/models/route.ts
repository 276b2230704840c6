import { defineRoute } from "@/lib/define-action";
import { listPlaygroundModels } from "@/lib/playground/picker-models";

export const dynamic = "force-dynamic";

/** The models the playground offers: enabled catalogue models (local ones with their file present), and deployments. */
export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => Response.json(await listPlaygroundModels(ctx.db)));
