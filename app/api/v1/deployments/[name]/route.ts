// Management API: one deployment. PATCH changes what it names (engine keys merge with the current ones).
import { defineApiRoute, readJson, toApiDeployment, updateInputFromApi } from "@/lib/deployments/api";
import { deleteDeployment, getDeployment, setDeploymentPaused, updateDeployment } from "@/lib/deployments/deployments";
import { reconcileNow } from "@/lib/deployments/reconciler-service";
import { updateDeploymentSchema } from "@/lib/deployments/schemas";
import { AppError, validationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type Params = { name: string };

export const GET = defineApiRoute<Params>("member", async (_request, ctx) => Response.json(toApiDeployment(await getDeployment(ctx, ctx.params.name))));

export const PATCH = defineApiRoute<Params>("admin", async (request, ctx) => {
  const current = await getDeployment(ctx, ctx.params.name);
  const body = (await readJson(request)) as Record<string, unknown>;
  const input = await updateInputFromApi(ctx.db, current.name, body);
  if (input.engine) {
    const given = (body.engine ?? {}) as Record<string, unknown>;
    input.engine = {
      threads: (given.threads as number | undefined) ?? current.engine.threads,
      parallel: (given.parallel as number | undefined) ?? current.engine.parallel,
      contextSize: "context_size" in given ? (given.context_size as number | null) : current.engine.contextSize,
    };
  }
  const parsed = updateDeploymentSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  if (body.paused !== undefined && typeof body.paused !== "boolean") {
    throw new AppError("VALIDATION", "paused is true or false.", { fieldErrors: { paused: ["paused is true or false."] } });
  }
  await updateDeployment(ctx, ctx.user, parsed.data, ctx.ipAddress);
  if (typeof body.paused === "boolean") await setDeploymentPaused(ctx, ctx.user, current.name, body.paused, ctx.ipAddress);
  await reconcileNow();
  return Response.json(toApiDeployment(await getDeployment(ctx, current.name)));
});

export const DELETE = defineApiRoute<Params>("admin", async (_request, ctx) => {
  await deleteDeployment(ctx, ctx.user, ctx.params.name, ctx.ipAddress);
  await reconcileNow();
  return Response.json({ object: "deployment.deleted", name: ctx.params.name, deleted: true });
});
