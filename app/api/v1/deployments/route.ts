// Management API: list and create deployments (snake_case; errors as {error: {message, type, param, code}}).
import { createInputFromApi, defineApiRoute, readJson, toApiDeployment } from "@/lib/deployments/api";
import { createDeployment, listDeployments } from "@/lib/deployments/deployments";
import { reconcileNow } from "@/lib/deployments/reconciler-service";
import { createDeploymentSchema } from "@/lib/deployments/schemas";
import { validationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = defineApiRoute("member", async (_request, ctx) => {
  const data = (await listDeployments(ctx)).map(toApiDeployment);
  return Response.json({ object: "list", data });
});

export const POST = defineApiRoute("admin", async (request, ctx) => {
  const parsed = createDeploymentSchema.safeParse(await createInputFromApi(ctx.db, await readJson(request)));
  if (!parsed.success) throw validationError(parsed.error);
  const d = await createDeployment(ctx, ctx.user, parsed.data, ctx.ipAddress);
  await reconcileNow();
  return Response.json(toApiDeployment(d), { status: 201 });
});
