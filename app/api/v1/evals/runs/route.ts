// Evals management API: start a run (on a stored suite, or on cases sent along), as `npm run eval --url` does.
import { createApiRun } from "@/lib/evals/api-runs";
import { defineApiRoute, readJson } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const POST = defineApiRoute("member", async (request, ctx) => Response.json(await createApiRun(ctx.db, ctx.user.id, await readJson(request)), { status: 201 }));
