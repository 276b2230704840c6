// The reconciler: makes the replicas the driver runs match what the database asks for. Each tick it
// reads every deployment, starts missing replicas (with backoff after failures), rolls replicas of an
// older generation (a new one ready before an old one drains and stops), drains and stops extras,
// scrapes load, lets the autoscaler decide, and writes samples. Everything it knows that matters is
// in the database, so a restarted console picks up from there.
import "server-only";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import path from "node:path";
import type { Db } from "@/db/client";
import { deploymentReplicas, deployments, deploymentSamples, models, type Deployment, type DeploymentEventKind } from "@/db/schema";
import { localModelPath, modelsDir } from "@/lib/engine/local-models";
import { decideScale, type ConcurrencySample } from "./autoscaler";
import { recordDeploymentEvent } from "./deployments";
import type { DeploymentDriver, DriverReplicaStatus } from "./drivers/driver";
import { addBuckets, scrapeDelta, TTFT_BUCKETS_S, type EngineScrape } from "./metrics";

export interface ReconcilerOptions {
  tickMs?: number;
  /** How often replica load is scraped and a sample row written. */
  sampleMs?: number;
  /** How long a draining replica may take to finish its requests before it is stopped anyway. */
  drainTimeoutMs?: number;
  modelsDir?: string;
  /** Consecutive failed starts of a generation before the reconciler stops trying (until settings change). */
  maxFailedStarts?: number;
  now?: () => number;
}

export interface LiveReplica {
  id: string;
  deploymentId: string;
  deploymentName: string;
  generation: number;
  state: "starting" | "ready" | "restarting" | "draining" | "failed" | "stopped";
  outstanding: number;
  startedAt: number;
  endpoints: Record<string, string | undefined>;
  restarts: number;
  /** The base engine's process, as last reported (none while it is down). */
  pid?: number;
  lastScrape?: EngineScrape;
  load?: { active: number; queued: number };
}

interface DeploymentRuntime {
  history: ConcurrencySample[];
  pending: { requests: number; errors: number; ttftBuckets: number[] };
  lastSampleAt: number;
  failedStarts: number;
  failedGeneration: number;
  nextStartAt: number;
  lastActivityAt: number;
  coldStartAt?: number;
  readyWaiters: Set<() => void>;
}

const HISTORY_MS = 3_700_000;

export class Reconciler {
  readonly live = new Map<string, LiveReplica>();
  private readonly runtime = new Map<string, DeploymentRuntime>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private kickAfter?: Promise<void>;
  private stopped = true;
  private unsubscribe?: () => void;
  private readonly writes = new Map<string, Promise<void>>();
  private readonly o: Required<Omit<ReconcilerOptions, "modelsDir">> & { modelsDir?: string };

  constructor(
    private readonly db: Db,
    private readonly driver: DeploymentDriver,
    options: ReconcilerOptions = {},
  ) {
    this.o = {
      tickMs: options.tickMs ?? 2_000,
      sampleMs: options.sampleMs ?? 10_000,
      drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
      maxFailedStarts: options.maxFailedStarts ?? 3,
      now: options.now ?? Date.now,
      modelsDir: options.modelsDir,
    };
  }

  /** Replicas of the last process are gone (engines exit with the console): record that, then run. */
  async start(): Promise<void> {
    const lost = await this.db
      .select({ id: deploymentReplicas.id, deploymentId: deploymentReplicas.deploymentId, name: deployments.name, pid: deploymentReplicas.pid })
      .from(deploymentReplicas)
      .innerJoin(deployments, eq(deploymentReplicas.deploymentId, deployments.id))
      .where(notInArray(deploymentReplicas.state, ["stopped", "failed"]));
    if (lost.length) {
      await this.db.transaction(async (tx) => {
        await tx.update(deploymentReplicas).set({ state: "stopped", stoppedAt: new Date(), error: "the console stopped" }).where(inArray(deploymentReplicas.id, lost.map((r) => r.id)));
        for (const r of lost) {
          await recordDeploymentEvent(tx, { id: r.deploymentId, name: r.name }, "replica_exited", `Replica ${short(r.id)}${r.pid ? ` (pid ${r.pid})` : ""} ended with the previous console process; starting a replacement.`, { replicaId: r.id });
        }
      });
    }
    this.stopped = false;
    this.unsubscribe = this.driver.onStatus((s) => this.onDriverStatus(s));
    this.schedule(0);
  }

  /** Stops the loop and every replica (the console is shutting down); rows stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    this.unsubscribe?.();
    await Promise.allSettled([...this.live.keys()].map((id) => this.driver.stop(id)));
    await Promise.allSettled([...this.writes.values()]);
  }

  /**
   * Runs one pass now (tests, and after a write that should act at once). A pass under way may have
   * read the database before that write, so another one follows it rather than waiting a tick.
   */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.ticking) {
      this.kickAfter ??= this.ticking.then(() => {
        this.kickAfter = undefined;
        return this.kick();
      });
      return this.kickAfter;
    }
    clearTimeout(this.timer);
    return this.runTick();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runTick(), ms);
    this.timer.unref?.();
  }

  private runTick(): Promise<void> {
    this.ticking ??= this.tick()
      .catch((error) => console.error("[kindling] deployment reconciler tick failed", error))
      .finally(() => {
        this.ticking = undefined;
        this.schedule(this.o.tickMs);
      });
    return this.ticking;
  }

  private rt(id: string): DeploymentRuntime {
    let r = this.runtime.get(id);
    if (!r) {
      r = { history: [], pending: { requests: 0, errors: 0, ttftBuckets: TTFT_BUCKETS_S.map(() => 0) }, lastSampleAt: this.o.now(), failedStarts: 0, failedGeneration: 0, nextStartAt: 0, lastActivityAt: this.o.now(), readyWaiters: new Set() };
      this.runtime.set(id, r);
    }
    return r;
  }

  // ---- traffic-facing ------------------------------------------------------------------------------

  /**
   * The deployments as read at the last tick (every write through the console kicks one): the target
   * resolver's synchronous match and its row, so routing a request reads no database.
   */
  private rows = new Map<string, Deployment>();
  knows(name: string): boolean {
    return this.rows.has(name);
  }

  deployment(name: string): Deployment | undefined {
    return this.rows.get(name);
  }

  replicasOf(deploymentName: string): LiveReplica[] {
    return [...this.live.values()].filter((r) => r.deploymentName === deploymentName);
  }

  /** Count a request in and out of a replica (the picker's "outstanding", and idle time for scale to zero). */
  track(replica: LiveReplica): () => void {
    replica.outstanding++;
    const r = this.rt(replica.deploymentId);
    r.lastActivityAt = this.o.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      replica.outstanding--;
      r.lastActivityAt = this.o.now();
    };
  }

  /**
   * Resolves true once the deployment has a ready replica, false after `timeoutMs`. A deployment
   * scaled to zero is woken (a cold start, recorded when the replica is ready).
   */
  async waitForReady(deploymentName: string, timeoutMs: number): Promise<boolean> {
    const [d] = await this.db.select().from(deployments).where(eq(deployments.name, deploymentName));
    if (!d || d.status === "paused") return false;
    const r = this.rt(d.id);
    r.lastActivityAt = this.o.now();
    if (this.replicasOf(deploymentName).some((x) => x.state === "ready")) return true;
    if (d.desiredReplicas === 0) {
      const want = Math.max(1, d.minReplicas);
      await this.db.update(deployments).set({ desiredReplicas: want, lastRequestAt: new Date() }).where(and(eq(deployments.id, d.id), eq(deployments.desiredReplicas, 0)));
      r.coldStartAt = this.o.now();
      void this.kick();
    }
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        r.readyWaiters.delete(onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      r.readyWaiters.add(onReady);
    });
  }

  async recordFailover(deploymentName: string, reason: string, failoverModel: string): Promise<void> {
    const [d] = await this.db.select({ id: deployments.id }).from(deployments).where(eq(deployments.name, deploymentName));
    await recordDeploymentEvent(this.db, { id: d?.id ?? null, name: deploymentName }, "failover_used", `Failover to ${failoverModel}: ${reason}.`);
  }

  // ---- the loop ----------------------------------------------------------------------------------

  private async tick(): Promise<void> {
    const rows = await this.db.select({ d: deployments, modelName: models.name }).from(deployments).innerJoin(models, eq(deployments.modelId, models.id));
    const present = new Set(rows.map((r) => r.d.id));
    this.rows = new Map(rows.map((r) => [r.d.name, r.d]));
    // Deleted deployments: stop their replicas (their rows went with the deployment).
    for (const rep of this.live.values()) {
      if (!present.has(rep.deploymentId) && rep.state !== "draining") void this.drainAndStop(rep, "its deployment was deleted", false);
    }
    const now = this.o.now();
    const sampling = [...this.runtime.values()].some((r) => now - r.lastSampleAt >= this.o.sampleMs) || rows.some((r) => !this.runtime.has(r.d.id));
    if (sampling) await this.scrapeAll();
    for (const { d, modelName } of rows) {
      if (this.stopped) return;
      await this.reconcile(d, modelName);
    }
  }

  private async scrapeAll(): Promise<void> {
    await Promise.all(
      [...this.live.values()]
        .filter((r) => r.state === "ready" || r.state === "draining")
        .map(async (rep) => {
          const s = await this.driver.scrape(rep.id);
          if (!s) return;
          const delta = scrapeDelta(rep.lastScrape, s);
          rep.lastScrape = s;
          rep.load = { active: s.active, queued: s.queued };
          const p = this.rt(rep.deploymentId).pending;
          p.requests += delta.requests;
          p.errors += delta.errors;
          p.ttftBuckets = addBuckets(p.ttftBuckets, delta.ttftBuckets);
        }),
    );
  }

  private async reconcile(d: Deployment, modelName: string): Promise<void> {
    const r = this.rt(d.id);
    const now = this.o.now();
    const mine = [...this.live.values()].filter((x) => x.deploymentId === d.id && x.state !== "draining" && x.state !== "stopped");
    const ready = mine.filter((x) => x.state === "ready");

    // Sample and autoscale.
    if (now - r.lastSampleAt >= this.o.sampleMs) {
      const concurrency = ready.reduce((s, x) => s + (x.load ? x.load.active + x.load.queued : 0), 0);
      r.history.push({ at: now, concurrency });
      while (r.history.length > 2 && r.history[0].at < now - HISTORY_MS) r.history.shift();
      const intervalS = (now - r.lastSampleAt) / 1000;
      const p = r.pending;
      r.pending = { requests: 0, errors: 0, ttftBuckets: TTFT_BUCKETS_S.map(() => 0) };
      r.lastSampleAt = now;
      if (p.requests > 0) r.lastActivityAt = Math.max(r.lastActivityAt, now);
      await this.db.insert(deploymentSamples).values({
        deploymentId: d.id,
        at: new Date(now),
        intervalS,
        readyReplicas: ready.length,
        desiredReplicas: d.status === "paused" ? 0 : d.desiredReplicas,
        concurrency,
        requests: p.requests,
        errors: p.errors,
        ttftBuckets: p.ttftBuckets,
      });
      const lastRequestAt = d.lastRequestAt?.getTime() ?? 0;
      if (r.lastActivityAt > lastRequestAt + 1000 && p.requests > 0) {
        await this.db.update(deployments).set({ lastRequestAt: new Date(r.lastActivityAt) }).where(eq(deployments.id, d.id));
      }
      // Idle time counts only while nobody waits for a cold start and a replica has been up.
      if (r.readyWaiters.size > 0 || ready.length === 0) r.lastActivityAt = Math.max(r.lastActivityAt, now);
      if (d.status === "running") {
        const decision = decideScale({
          now,
          current: d.desiredReplicas,
          settings: d,
          history: r.history,
          lastActivityAt: Math.max(r.lastActivityAt, lastRequestAt),
        });
        if (decision) {
          await this.db.transaction(async (tx) => {
            await tx.update(deployments).set({ desiredReplicas: decision.desired }).where(and(eq(deployments.id, d.id), eq(deployments.desiredReplicas, d.desiredReplicas)));
            const message =
              decision.kind === "scaled_to_zero"
                ? `Scaled to zero after ${Math.round(decision.measured.idleS ?? 0)} s idle.`
                : `Scaled ${d.desiredReplicas} → ${decision.desired}: ${decision.reason}.`;
            await recordDeploymentEvent(tx, d, decision.kind, message, { details: { from: d.desiredReplicas, to: decision.desired, ...decision.measured } });
          });
          d = { ...d, desiredReplicas: decision.desired };
          if (decision.desired > 0) r.history = [];
        }
      }
    }

    const desired = d.status === "paused" ? 0 : d.desiredReplicas;
    const current = mine.filter((x) => x.generation === d.generation);
    const old = mine.filter((x) => x.generation !== d.generation);
    const currentReady = current.filter((x) => x.state === "ready").length;

    // Roll: each new ready replica retires one old one; when paused or at zero, old ones just drain.
    const keepOld = Math.max(0, desired - currentReady);
    const retire = old.sort((a, b) => Number(a.state === "ready") - Number(b.state === "ready") || a.startedAt - b.startedAt).slice(0, Math.max(0, old.length - keepOld));
    for (const rep of retire) void this.drainAndStop(rep, desired === 0 ? (d.status === "paused" ? "the deployment is paused" : "scaled to zero") : `rolled to generation ${d.generation}`, desired > 0);

    // Scale down: not-ready ones first, then the newest.
    if (current.length > desired) {
      const extra = current.sort((a, b) => Number(a.state === "ready") - Number(b.state === "ready") || b.startedAt - a.startedAt).slice(0, current.length - desired);
      for (const rep of extra) void this.drainAndStop(rep, d.status === "paused" ? "the deployment is paused" : `scaled to ${desired}`, false);
    }

    // Scale up / replace, one at a time while rolling so old and new do not all load at once.
    if (r.failedGeneration !== d.generation) {
      r.failedGeneration = d.generation;
      r.failedStarts = 0;
      r.nextStartAt = 0;
    }
    const giveUp = r.failedStarts >= this.o.maxFailedStarts;
    let missing = desired - current.length;
    if (old.length > 0) missing = Math.min(missing, current.some((x) => x.state === "starting") ? 0 : 1);
    if (missing > 0 && !giveUp && now >= r.nextStartAt) {
      for (let i = 0; i < missing; i++) this.startReplica(d, modelName);
    }
  }

  private startReplica(d: Deployment, modelName: string): void {
    const id = crypto.randomUUID();
    const rep: LiveReplica = { id, deploymentId: d.id, deploymentName: d.name, generation: d.generation, state: "starting", outstanding: 0, startedAt: this.o.now(), endpoints: {}, restarts: 0 };
    this.live.set(id, rep);
    const dir = this.o.modelsDir ?? modelsDir();
    this.write(id, async () => {
      await this.db.insert(deploymentReplicas).values({ id, deploymentId: d.id, generation: d.generation, state: "starting", startedAt: new Date(rep.startedAt) });
    });
    void this.driver
      .start({
        replicaId: id,
        modelName: d.name,
        modelPath: localModelPath(modelName, dir),
        threads: d.engine.threads,
        parallel: d.engine.parallel,
        contextSize: d.engine.contextSize,
        adapters: d.adapters.map((a) => ({ name: a.name, path: path.join(dir, `${a.file}.gguf`), scale: a.scale })),
      })
      .then((status) => {
        const r = this.rt(d.id);
        r.failedStarts = 0;
        this.applyStatus(rep, status);
      })
      .catch(async (error: unknown) => {
        if (rep.state === "stopped" || rep.state === "draining") return;
        const r = this.rt(d.id);
        if (r.failedGeneration === rep.generation) {
          r.failedStarts++;
          r.nextStartAt = this.o.now() + Math.min(1000 * 2 ** r.failedStarts, 60_000);
        }
        rep.state = "failed";
        this.live.delete(id);
        const message = (error as Error).message;
        const last = r.failedStarts >= this.o.maxFailedStarts ? ` Gave up after ${r.failedStarts} attempts; change the settings or resume to try again.` : "";
        this.write(id, async () => {
          await this.db.transaction(async (tx) => {
            await tx.update(deploymentReplicas).set({ state: "failed", error: message, stoppedAt: new Date() }).where(eq(deploymentReplicas.id, id));
            await this.event(tx, rep, "replica_failed", `Replica ${short(id)} failed to load: ${message}.${last}`);
          });
        });
      });
  }

  private onDriverStatus(s: DriverReplicaStatus): void {
    const rep = this.live.get(s.replicaId);
    if (!rep || rep.state === "draining" || rep.state === "stopped") return;
    // Start results are handled by startReplica; from here on, crashes, restarts and give-ups.
    if (rep.state === "starting") return;
    this.applyStatus(rep, s);
  }

  private applyStatus(rep: LiveReplica, s: DriverReplicaStatus): void {
    const was = rep.state;
    rep.endpoints = s.endpoints;
    if (s.state === rep.state && s.restarts === rep.restarts && s.pid === rep.pid) return;
    const wasRestarts = rep.restarts;
    rep.restarts = s.restarts;
    rep.pid = s.pid;
    if (s.state === "ready") {
      rep.state = "ready";
      rep.lastScrape = undefined;
      const r = this.rt(rep.deploymentId);
      const seconds = ((this.o.now() - rep.startedAt) / 1000).toFixed(1);
      r.lastActivityAt = Math.max(r.lastActivityAt, this.o.now());
      const cold = r.coldStartAt;
      r.coldStartAt = undefined;
      for (const w of [...r.readyWaiters]) w();
      this.write(rep.id, async () => {
        await this.db.transaction(async (tx) => {
          await tx.update(deploymentReplicas).set({ state: "ready", pid: s.pid ?? null, port: s.port ?? null, restarts: s.restarts, readyAt: new Date(), error: null }).where(eq(deploymentReplicas.id, rep.id));
          if (was === "restarting" || s.restarts > wasRestarts) {
            await this.event(tx, rep, "replica_restarted", `Replica ${short(rep.id)} restarted (restart ${s.restarts}) and is ready again, pid ${s.pid}.`);
          } else {
            await this.event(tx, rep, "replica_ready", `Replica ${short(rep.id)} ready in ${seconds} s (pid ${s.pid}, port ${s.port}).`, { seconds: Number(seconds) });
            if (cold !== undefined) await this.event(tx, rep, "cold_start", `Cold start: a request woke the deployment; first replica ready in ${((this.o.now() - cold) / 1000).toFixed(1)} s.`);
          }
        });
      });
    } else if (s.state === "restarting") {
      rep.state = "restarting";
      // The supervisor reports "restarting" again when it relaunches (restarts + 1, a new pid): that
      // is the same exit, so only the count is stored. An exit is the way in, or the process gone again.
      const exited = was !== "restarting" || s.pid === undefined;
      this.write(rep.id, async () => {
        await this.db.transaction(async (tx) => {
          await tx.update(deploymentReplicas).set({ state: "restarting", pid: null, port: null, restarts: s.restarts, ...(exited ? { error: s.error ?? null } : {}) }).where(eq(deploymentReplicas.id, rep.id));
          if (exited) await this.event(tx, rep, "replica_exited", `Replica ${short(rep.id)} ${s.error ?? "exited"}; restarting with backoff.`);
        });
      });
    } else if (s.state === "failed" || s.state === "stopped") {
      // The supervisor gave up (repeated crashes): drop it; the next tick starts a replacement.
      rep.state = "failed";
      this.live.delete(rep.id);
      void this.driver.stop(rep.id);
      this.write(rep.id, async () => {
        await this.db.transaction(async (tx) => {
          await tx.update(deploymentReplicas).set({ state: "failed", pid: null, port: null, error: s.error ?? null, stoppedAt: new Date() }).where(eq(deploymentReplicas.id, rep.id));
          await this.event(tx, rep, "replica_failed", `Replica ${short(rep.id)} failed: ${s.error ?? "it stopped"}; a replacement will start.`);
        });
      });
      void this.kick();
    }
  }

  /** Stops taking new requests, waits for the ones in flight (bounded), then stops the replica. */
  private async drainAndStop(rep: LiveReplica, why: string, rolled: boolean): Promise<void> {
    if (rep.state === "draining" || rep.state === "stopped") return;
    const wasReady = rep.state === "ready";
    rep.state = "draining";
    this.write(rep.id, async () => {
      await this.db.update(deploymentReplicas).set({ state: "draining" }).where(eq(deploymentReplicas.id, rep.id));
    });
    const until = this.o.now() + this.o.drainTimeoutMs;
    while (wasReady && this.o.now() < until) {
      const load = await this.driver.scrape(rep.id);
      if (rep.outstanding === 0 && (!load || load.active + load.queued === 0)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.driver.stop(rep.id);
    rep.state = "stopped";
    this.live.delete(rep.id);
    this.write(rep.id, async () => {
      const [still] = await this.db.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, rep.deploymentId));
      if (!still) return;
      await this.db.transaction(async (tx) => {
        await tx.update(deploymentReplicas).set({ state: "stopped", pid: null, port: null, stoppedAt: new Date() }).where(eq(deploymentReplicas.id, rep.id));
        await this.event(tx, rep, rolled ? "rolled" : "replica_stopped", `Replica ${short(rep.id)} drained and stopped: ${why}.`);
      });
    });
  }

  private event(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], rep: LiveReplica, kind: DeploymentEventKind, message: string, details?: Record<string, unknown>) {
    return recordDeploymentEvent(tx, { id: rep.deploymentId, name: rep.deploymentName }, kind, message, { replicaId: rep.id, details });
  }

  /** Writes about one replica happen in order. */
  private write(replicaId: string, fn: () => Promise<void>): void {
    const prev = this.writes.get(replicaId) ?? Promise.resolve();
    const next = prev.then(fn).catch((error) => console.error(`[kindling] recording replica ${replicaId} failed`, error));
    this.writes.set(replicaId, next);
    void next.finally(() => {
      if (this.writes.get(replicaId) === next) this.writes.delete(replicaId);
    });
  }

  /** Settled when every pending write has landed (tests). */
  async flushWrites(): Promise<void> {
    while (this.writes.size) await Promise.allSettled([...this.writes.values()]);
  }
}

const short = (id: string) => id.slice(0, 8);
