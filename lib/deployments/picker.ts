// Which replica takes a request, and what happens when it cannot: pure policy over injected effects.
// Least outstanding requests first; a failure before the first token is retried once on another
// replica; with none ready, wait (bounded) for a cold start, else use the failover model.

export interface RoutableReplica {
  id: string;
  ready: boolean;
  /** Requests sent by this console that have not finished. */
  outstanding: number;
}

/** The ready replica with the fewest outstanding requests; ties go round-robin by `turn`. */
export function pickReplica<R extends RoutableReplica>(replicas: R[], exclude: ReadonlySet<string> = new Set(), turn = 0): R | null {
  const ready = replicas.filter((r) => r.ready && !exclude.has(r.id));
  if (ready.length === 0) return null;
  const least = Math.min(...ready.map((r) => r.outstanding));
  const tied = ready.filter((r) => r.outstanding === least);
  return tied[turn % tied.length];
}

/** Thrown by `send` when the replica failed before sending anything to the client: safe to retry. */
export class BeforeFirstTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BeforeFirstTokenError";
  }
}

export type RouteAnswer<T> = { via: "replica"; replicaId: string; retried: boolean; coldStartMs?: number; value: T } | { via: "failover"; reason: string; value: T };

export interface RouteEffects<R extends RoutableReplica, T> {
  replicas(): R[];
  /** Resolves with true once a replica is ready, false after `timeoutMs`; asks for a cold start if needed. */
  waitForReady(timeoutMs: number): Promise<boolean>;
  send(replica: R): Promise<T>;
  /** Null when the deployment has no failover model. */
  failover: ((reason: string) => Promise<T>) | null;
  now(): number;
}

export class NoReplicaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoReplicaError";
  }
}

export async function routeRequest<R extends RoutableReplica, T>(fx: RouteEffects<R, T>, options: { coldStartWaitMs: number; turn?: number }): Promise<RouteAnswer<T>> {
  let first = pickReplica(fx.replicas(), new Set(), options.turn);
  let coldStartMs: number | undefined;
  if (!first) {
    const started = fx.now();
    if (await fx.waitForReady(options.coldStartWaitMs)) {
      coldStartMs = fx.now() - started;
      first = pickReplica(fx.replicas(), new Set(), options.turn);
    }
  }
  if (!first) return viaFailover(fx, `no replica was ready within ${Math.round(options.coldStartWaitMs / 1000)} s`);
  try {
    return { via: "replica", replicaId: first.id, retried: false, coldStartMs, value: await fx.send(first) };
  } catch (error) {
    if (!(error instanceof BeforeFirstTokenError)) throw error;
    const second = pickReplica(fx.replicas(), new Set([first.id]), options.turn);
    if (!second) return viaFailover(fx, `replica ${first.id} failed (${error.message}) and no other replica was ready`, error);
    try {
      return { via: "replica", replicaId: second.id, retried: true, coldStartMs, value: await fx.send(second) };
    } catch (again) {
      if (!(again instanceof BeforeFirstTokenError)) throw again;
      return viaFailover(fx, `replicas ${first.id} and ${second.id} both failed before the first token`, again);
    }
  }
}

async function viaFailover<R extends RoutableReplica, T>(fx: RouteEffects<R, T>, reason: string, cause?: unknown): Promise<RouteAnswer<T>> {
  if (!fx.failover) throw new NoReplicaError(cause instanceof Error ? `${reason}: ${cause.message}` : reason);
  return { via: "failover", reason, value: await fx.failover(reason) };
}
