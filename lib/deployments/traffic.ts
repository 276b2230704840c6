// Sends one request to a deployment: picks a ready replica (least outstanding), counts it in and out,
// retries once elsewhere when the replica fails before answering, waits (bounded) for a cold start,
// else uses the failover. The gateway's target resolver calls this once its hook lands.
import "server-only";
import { BeforeFirstTokenError, routeRequest, type RouteAnswer } from "./picker";
import type { Reconciler } from "./reconciler";

export { BeforeFirstTokenError };

const turns = { n: 0 };

/** `model` is `<deployment>` or `<deployment>:<adapter>`. */
export function parseDeploymentModel(model: string): { name: string; variant: string } {
  const i = model.indexOf(":");
  return i < 0 ? { name: model, variant: "" } : { name: model.slice(0, i), variant: model.slice(i + 1) };
}

export async function routeToDeployment<T>(
  reconciler: Reconciler,
  model: string,
  send: (target: { baseUrl: string; replicaId: string }) => Promise<T>,
  options: { coldStartWaitMs?: number; failover?: { model: string; call: () => Promise<T> } } = {},
): Promise<RouteAnswer<T>> {
  const { name, variant } = parseDeploymentModel(model);
  const candidates = () =>
    reconciler.replicasOf(name).map((r) => ({ id: r.id, ready: r.state === "ready" && !!r.endpoints[variant], outstanding: r.outstanding, live: r }));
  const answer = await routeRequest(
    {
      replicas: candidates,
      waitForReady: (ms) => reconciler.waitForReady(name, ms),
      now: Date.now,
      send: async (c) => {
        const release = reconciler.track(c.live);
        try {
          const baseUrl = c.live.endpoints[variant];
          if (!baseUrl) throw new BeforeFirstTokenError(`replica ${c.id} has no endpoint for ${model}`);
          return await send({ baseUrl, replicaId: c.id });
        } finally {
          release();
        }
      },
      failover: options.failover
        ? async (reason) => {
            await reconciler.recordFailover(name, reason, options.failover!.model);
            return options.failover!.call();
          }
        : null,
    },
    { coldStartWaitMs: options.coldStartWaitMs ?? 30_000, turn: turns.n++ },
  );
  return answer;
}
