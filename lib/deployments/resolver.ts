// Makes `model: <deployment>` and `<deployment>:<adapter>` resolvable by the one inference path
// (lib/inference/resolve.ts): a ready replica with the fewest outstanding requests, a bounded wait
// for a cold start, else the deployment's failover model (recorded as an event).
import "server-only";
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { deploymentReplicas, deployments, models } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { registerTargetResolver, resolveTarget, type InferenceTarget, type ListedModel } from "@/lib/inference/resolve";
import { describeAvailability } from "./availability";
import { deploymentState } from "./deployments";
import { pickReplica } from "./picker";
import type { Reconciler } from "./reconciler";
import { parseDeploymentModel } from "./traffic";

const COLD_START_WAIT_MS = 30_000;
const turns = { n: 0 };

export function registerDeploymentResolver(reconciler: Reconciler): () => void {
  return registerTargetResolver((model) => reconciler.knows(parseDeploymentModel(model).name), {
    async resolve(db: Db, model: string, { excludeReplicas }): Promise<InferenceTarget | null> {
      const { name, variant } = parseDeploymentModel(model);
      const d = reconciler.deployment(name);
      if (!d) return null;
      if (variant && !d.adapters.some((a) => a.name === variant)) throw new AppError("NOT_FOUND", `Deployment ${name} has no adapter "${variant}".`);
      const candidates = () =>
        reconciler.replicasOf(name).map((r) => ({ id: r.id, ready: r.state === "ready" && !!r.endpoints[variant], outstanding: r.outstanding, live: r }));
      const exclude = new Set(excludeReplicas);
      let pick = pickReplica(candidates(), exclude, turns.n++);
      if (!pick && excludeReplicas.length === 0 && d.status === "running" && (await reconciler.waitForReady(name, COLD_START_WAIT_MS))) {
        pick = pickReplica(candidates(), exclude, turns.n++);
      }
      if (!pick) {
        const reason = d.status === "paused" ? "the deployment is paused" : excludeReplicas.length ? "the replica failed before the first token and no other was ready" : `no replica was ready within ${COLD_START_WAIT_MS / 1000} s`;
        if (!d.failoverModelId) throw new AppError("UNAVAILABLE", `Deployment ${name} cannot take the request: ${reason}.`, { retryAfterSeconds: 5 });
        const target = await resolveTarget(db, d.failoverModelId);
        await reconciler.recordFailover(name, reason, target.model.displayName);
        return { ...target, deployment: name };
      }
      const live = pick.live;
      let release: (() => void) | null = null;
      return {
        provider: { id: "local", name: `Deployment ${name}`, kind: "local" },
        model: { id: d.modelId, name: model, displayName: model, contextLength: d.engine.contextSize },
        baseUrl: live.endpoints[variant]!,
        apiKey: null,
        price: null,
        publicId: model,
        deployment: name,
        replica: {
          id: live.id,
          started: () => {
            release = reconciler.track(live);
          },
          ended: () => {
            release?.();
            release = null;
          },
        },
      };
    },
    list: listDeploymentModels,
  });
}

const failover = alias(models, "failover");

/** Each deployment and each of its adapters, with the base model's context and the deployment's state. */
async function listDeploymentModels(db: Db): Promise<ListedModel[]> {
  const rows = await db
    .select({ d: deployments, contextLength: models.contextLength, failoverName: failover.displayName, failoverModel: failover.name })
    .from(deployments)
    .innerJoin(models, eq(deployments.modelId, models.id))
    .leftJoin(failover, eq(deployments.failoverModelId, failover.id))
    .orderBy(asc(deployments.name));
  if (rows.length === 0) return [];
  const replicas = await db
    .select({ deploymentId: deploymentReplicas.deploymentId, state: deploymentReplicas.state })
    .from(deploymentReplicas)
    .where(and(inArray(deploymentReplicas.deploymentId, rows.map((r) => r.d.id)), ne(deploymentReplicas.state, "stopped")));
  return rows.flatMap(({ d, contextLength, failoverName, failoverModel }) => {
    const state = deploymentState(d, replicas.filter((r) => r.deploymentId === d.id));
    const { status, note } = describeAvailability(d.name, state, failoverName || failoverModel);
    // The engine's context size when the deployment sets one, else the base model's.
    const context = d.engine.contextSize ?? contextLength;
    return [d.name, ...d.adapters.map((a) => `${d.name}:${a.name}`)].map((id) => ({
      id,
      ownedBy: "deployment",
      createdAt: d.createdAt,
      group: "Deployments",
      displayName: id,
      contextLength: context,
      status,
      note,
    }));
  });
}
