// Management API: a deployment's events, newest first (also after it was deleted).
import { defineApiRoute, toApiEvent } from "@/lib/deployments/api";
import { listDeploymentEvents } from "@/lib/deployments/deployments";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute<{ name: string }>("member", async (request, ctx) => {
  const url = new URL(request.url);
  const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 500)) {
    throw new AppError("VALIDATION", "limit is a whole number from 1 to 500.", { fieldErrors: { limit: ["limit is a whole number from 1 to 500."] } });
  }
  const data = (await listDeploymentEvents(ctx, ctx.params.name, { limit })).map(toApiEvent);
  return Response.json({ object: "list", data });
});
