import { defineRoute } from "@/lib/define-action";
import { listSavedPrompts } from "@/lib/playground/saved-prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => Response.json(await listSavedPrompts(ctx.db)));
