import { defineRoute } from "@/lib/define-action";
import { listPickerModels } from "@/lib/providers/resolve";

export const dynamic = "force-dynamic";

/** The models the playground offers: enabled, and for local ones, with their file present. */
export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => Response.json(await listPickerModels(ctx.db)));
