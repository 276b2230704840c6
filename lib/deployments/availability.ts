// How a deployment's state reads where people pick a model (the playground): a short status, and a
// sentence when the first answer will wait (a cold start) or come from elsewhere (paused, failed).
import type { DeploymentState } from "./query-options";

export interface Availability {
  status: string;
  note: string | null;
}

export function describeAvailability(name: string, state: DeploymentState, failoverName: string | null): Availability {
  const elsewhere = (why: string) =>
    failoverName ? `${name} is ${why}: answers come from its failover model, ${failoverName}.` : `${name} is ${why}: it will not answer until an admin acts on it.`;
  switch (state) {
    case "ready":
    case "degraded":
      return { status: state, note: null };
    case "starting":
      return { status: "starting", note: `${name} is starting its replicas: the first answer waits for one to be ready.` };
    case "idle":
      return { status: "scaled to zero", note: `${name} is scaled to zero: the first message starts a replica (a cold start) and waits for it.` };
    case "paused":
      return { status: "paused", note: elsewhere("paused") };
    case "failed":
      return { status: "failed", note: elsewhere("failing to start replicas") };
  }
}
