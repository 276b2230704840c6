// The deployment reconciler as a background service of the console: one per process, started after
// migrations (it resumes from the database), stopped on shutdown (replicas stop with it).
import "server-only";
import { initDatabase } from "@/db/client";
import { processSingleton } from "@/lib/process-singleton";
import { setReplicaLoadLookup } from "./deployments";
import { deploymentEngineSupervisor } from "./drivers/engine-supervisor";
import { LocalDriver } from "./drivers/local";
import { Reconciler } from "./reconciler";
import { registerDeploymentResolver } from "./resolver";

const holder = processSingleton("kindling.deployments.reconciler", () => ({}) as { __kindlingReconciler?: Reconciler; unregister?: () => void });

/** This process's reconciler, or undefined before the service started (e.g. during a build). */
export function getReconciler(): Reconciler | undefined {
  return holder.__kindlingReconciler;
}

/**
 * Call after any write to deployments, and answer once it resolves: it runs a reconciler pass (or waits
 * for the one under way and the next), so the page shows the change and the gateway, which routes by
 * the last pass, knows a new name as soon as the write answers. A pass reads the rows and acts; it does
 * not wait for replicas to start. Resolves at once when no reconciler runs (a build, a test).
 */
export async function reconcileNow(): Promise<void> {
  await getReconciler()?.kick();
}

export const reconcilerService = {
  name: "deployment reconciler",
  async start(): Promise<void> {
    if (holder.__kindlingReconciler) return;
    const { db } = await initDatabase();
    const reconciler = new Reconciler(db, new LocalDriver(deploymentEngineSupervisor()));
    holder.__kindlingReconciler = reconciler;
    setReplicaLoadLookup((id) => reconciler.live.get(id)?.load);
    await reconciler.start();
    holder.unregister = registerDeploymentResolver(reconciler);
  },
  async stop(): Promise<void> {
    const reconciler = holder.__kindlingReconciler;
    holder.__kindlingReconciler = undefined;
    holder.unregister?.();
    await reconciler?.stop();
  },
};
