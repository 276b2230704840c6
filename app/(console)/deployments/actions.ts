"use server";

import { defineAction } from "@/lib/define-action";
import { createDeployment, deleteDeployment, setDeploymentPaused, updateDeployment } from "@/lib/deployments/deployments";
import { getReconciler } from "@/lib/deployments/reconciler-service";
import { createDeploymentSchema, deploymentNameSchema, setPausedSchema, updateDeploymentSchema } from "@/lib/deployments/schemas";

// The reconciler acts on the next tick anyway; a kick makes the page show the change at once.
const kick = () => void getReconciler()?.kick();

export const createDeploymentAction = defineAction(
  createDeploymentSchema,
  async (input, ctx) => {
    const d = await createDeployment(ctx, ctx.user, input, ctx.ipAddress);
    kick();
    return { name: d.name };
  },
  { role: "admin", revalidate: ["/deployments"] },
);

export const updateDeploymentAction = defineAction(
  updateDeploymentSchema,
  async (input, ctx) => {
    const d = await updateDeployment(ctx, ctx.user, input, ctx.ipAddress);
    kick();
    return { name: d.name, generation: d.generation };
  },
  { role: "admin" },
);

export const setDeploymentPausedAction = defineAction(
  setPausedSchema,
  async (input, ctx) => {
    const d = await setDeploymentPaused(ctx, ctx.user, input.name, input.paused, ctx.ipAddress);
    kick();
    return { name: d.name, status: d.status };
  },
  { role: "admin" },
);

export const deleteDeploymentAction = defineAction(
  deploymentNameSchema,
  async (input, ctx) => {
    await deleteDeployment(ctx, ctx.user, input.name, ctx.ipAddress);
    kick();
    return { name: input.name };
  },
  { role: "admin", revalidate: ["/deployments"] },
);
