"use server";

import type { z } from "zod";
import { defineAction, type ActionContext } from "@/lib/define-action";
import { createDeployment, deleteDeployment, setDeploymentPaused, updateDeployment } from "@/lib/deployments/deployments";
import { reconcileNow } from "@/lib/deployments/reconciler-service";
import { createDeploymentSchema, deploymentNameSchema, setPausedSchema, updateDeploymentSchema } from "@/lib/deployments/schemas";

/** An admin's write to deployments, answered once the reconciler has read it (see reconcileNow). */
function deploymentAction<S extends z.ZodType, T>(schema: S, write: (input: z.output<S>, ctx: ActionContext) => Promise<T>, revalidate?: string[]) {
  return defineAction(
    schema,
    async (input, ctx) => {
      const result = await write(input, ctx);
      await reconcileNow();
      return result;
    },
    { role: "admin", revalidate },
  );
}

export const createDeploymentAction = deploymentAction(
  createDeploymentSchema,
  async (input, ctx) => {
    const d = await createDeployment(ctx, ctx.user, input, ctx.ipAddress);
    return { name: d.name };
  },
  ["/deployments"],
);

export const updateDeploymentAction = deploymentAction(updateDeploymentSchema, async (input, ctx) => {
  const d = await updateDeployment(ctx, ctx.user, input, ctx.ipAddress);
  return { name: d.name, generation: d.generation };
});

export const setDeploymentPausedAction = deploymentAction(setPausedSchema, async (input, ctx) => {
  const d = await setDeploymentPaused(ctx, ctx.user, input.name, input.paused, ctx.ipAddress);
  return { name: d.name, status: d.status };
});

export const deleteDeploymentAction = deploymentAction(
  deploymentNameSchema,
  async (input, ctx) => {
    await deleteDeployment(ctx, ctx.user, input.name, ctx.ipAddress);
    return { name: input.name };
  },
  ["/deployments"],
);
