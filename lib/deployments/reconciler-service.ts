// The deployment reconciler as a background service of the console: one per process, started after
// migrations (it resumes from the database), stopped on shutdown (replicas stop with it).
import "server-only";
import { initDatabase } from "@/db/client";
import { processSingleton } from "@/lib/process-singleton";
import { setReplicaLoadLookup } from "./deployments";
import { deploymentEngineSupervisor } from "./drivers/engine-supervisor";
import { LocalDriver } from "./drivers/local";
import { Reconciler } from "./reconciler";

const holder = processSingleton("kindling.deployments.reconciler", () => ({}) as { __kindlingReconciler?: Reconciler });

/** This process's reconciler, or undefined before the service started (e.g. during a build). */
export function getReconciler(): Reconciler | undefined {
  return holder.__kindlingReconciler;
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
  },
  async stop(): Promise<void> {
    const reconciler = holder.__kindlingReconciler;
    holder.__kindlingReconciler = undefined;
    await reconciler?.stop();
  },
};
