// What the deployments tests that call a deployment through the inference door share: the deployment,
// a reconciler on the engine bed with the deployment resolver pointing at it, and its replicas ready.
import { createDeployment, getDeployment } from "@/lib/deployments/deployments";
import { LocalDriver } from "@/lib/deployments/drivers/local";
import { Reconciler, type ReconcilerOptions } from "@/lib/deployments/reconciler";
import type { DeploymentDto } from "@/lib/deployments/query-options";
import { registerDeploymentResolver } from "@/lib/deployments/resolver";
import { createDeploymentSchema, type CreateDeploymentInput } from "@/lib/deployments/schemas";
import type { EngineBed } from "./engine-bed";
import { unique } from "./unique";
import { until } from "./until";

export interface ServedDeployment {
  name: string;
  rec: Reconciler;
  /** The deployment once its minimum of replicas was ready. */
  ready: DeploymentDto;
  /** Unregisters the resolver and stops the reconciler (and with it the replicas). */
  stop(): Promise<void>;
}

/**
 * Creates a deployment named `<prefix>-<unique>` (no actor), starts a reconciler for it and waits until
 * `settings.minReplicas` replicas are ready. Call `stop()` in a `finally`.
 */
export async function serveDeployment(
  bed: EngineBed,
  prefix: string,
  settings: Omit<CreateDeploymentInput, "name"> & { minReplicas: number },
  options: Omit<ReconcilerOptions, "modelsDir">,
): Promise<ServedDeployment> {
  const name = unique(prefix);
  await createDeployment(bed.ctx, null, createDeploymentSchema.parse({ ...settings, name }));
  const rec = new Reconciler(bed.ctx.db, new LocalDriver(bed.engines), { ...options, modelsDir: bed.dir });
  const unregister = registerDeploymentResolver(rec);
  const stop = async () => {
    unregister();
    await rec.stop();
  };
  await rec.start();
  try {
    const ready = await until(`${settings.minReplicas} ready replicas of ${name}`, async () => {
      const d = await getDeployment(bed.ctx, name);
      return d.readyReplicas === settings.minReplicas && d;
    });
    return { name, rec, ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
