import { defineRoute } from "@/lib/define-action";
import { getSavedPrompt } from "@/lib/playground/saved-prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>({ role: "viewer" }, async (_request, ctx) =>
  Response.json(await getSavedPrompt(ctx.db, ctx.params.id)),
);
