// Deployments as admins and the management API see them: create, change, pause, delete (each one
// transaction with its event and audit row), and the reads behind the pages, built on what the
// reconciler stores (replicas, samples). Checks that need files or rows report field errors.
import "server-only";
import { and, asc, desc, eq, gte, inArray, lt, ne } from "drizzle-orm";
import path from "node:path";
import type { Db, Tx } from "@/db/client";
import {
  deploymentEvents,
  deploymentReplicas,
  deployments,
  deploymentSamples,
  models,
  providers,
  type Deployment,
  type DeploymentEventKind,
  type DeploymentReplica,
} from "@/db/schema";
import type { Actor } from "@/lib/auth/accounts";
import { recordAudit } from "@/lib/audit/audit";
import { listModelFiles } from "@/lib/engine/model-files";
import { AppError, type FieldErrors } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { readGguf } from "@/lib/gguf/reader";
import { localModelPath, modelsDir, readLoraSidecar } from "@/lib/engine/local-models";
import { LOCAL_PROVIDER_ID } from "@/lib/providers/local";
import { adapterMismatch } from "./adapter-check";
import { summarizeSamples } from "./metrics";
import type {
  DeploymentDto,
  DeploymentEventDto,
  DeploymentFormOptions,
  DeploymentSampleDto,
  DeploymentState,
  ReplicaDto,
} from "./query-options";
import type { CreateDeployment, UpdateDeployment } from "./schemas";
import { histogramQuantileMs } from "./metrics";

export interface DeploymentsContext {
  db: Db;
  /** The models directory (tests pass their own). */
  modelsDir?: string;
}

const STATS_WINDOW_MS = 15 * 60_000;

function fieldError(field: string, message: string, code: "VALIDATION" | "CONFLICT" | "NOT_FOUND" = "VALIDATION"): AppError {
  return new AppError(code, message, { fieldErrors: { [field]: [message] } });
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

const nameTaken = (name: string) => fieldError("name", `A deployment named "${name}" already exists.`, "CONFLICT");

export async function recordDeploymentEvent(
  db: Tx,
  d: { id: string | null; name: string },
  kind: DeploymentEventKind,
  message: string,
  extra: { replicaId?: string; details?: Record<string, unknown> } = {},
): Promise<void> {
  await db.insert(deploymentEvents).values({ deploymentId: d.id, deploymentName: d.name, kind, message, replicaId: extra.replicaId ?? null, details: extra.details ?? null });
}

// ---- validation against the catalogue and the model files ----------------------------------------

async function checkBaseModel(ctx: DeploymentsContext, modelId: string): Promise<{ id: string; name: string; file: string }> {
  const [row] = await ctx.db.select({ id: models.id, name: models.name, providerId: models.providerId }).from(models).where(eq(models.id, modelId));
  if (!row) throw fieldError("modelId", "That model is not in the catalogue.");
  if (row.providerId !== LOCAL_PROVIDER_ID) throw fieldError("modelId", `${row.name} is a remote model; a deployment runs a local GGUF model on this machine.`);
  const dir = ctx.modelsDir ?? modelsDir();
  const file = localModelPath(row.name, dir);
  // A LoRA model (a fine-tuning result) runs on its base; a deployment attaches adapters to a base itself.
  let sidecar;
  try {
    sidecar = await readLoraSidecar(row.name, dir);
  } catch (error) {
    throw fieldError("modelId", `${row.name} cannot be deployed: ${(error as Error).message}`);
  }
  if (sidecar) throw fieldError("modelId", `${row.name} is a LoRA adapter on ${sidecar.base}: deploy ${sidecar.base} and add ${row.name} as an adapter.`);
  try {
    await readGguf(file);
  } catch (error) {
    throw fieldError("modelId", `The file of ${row.name} cannot be read (${(error as Error).message}).`);
  }
  return { id: row.id, name: row.name, file };
}

async function checkAdapters(ctx: DeploymentsContext, baseFile: string, adapters: { name: string; file: string }[]): Promise<void> {
  if (adapters.length === 0) return;
  const base = await readGguf(baseFile);
  const dir = ctx.modelsDir ?? modelsDir();
  const errors: FieldErrors = {};
  for (const [i, a] of adapters.entries()) {
    const file = path.join(dir, `${a.file}.gguf`);
    if (path.dirname(file) !== path.resolve(dir)) {
      errors[`adapters.${i}.file`] = [`"${a.file}" is not a file name in the models directory.`];
      continue;
    }
    try {
      const why = adapterMismatch(base, await readGguf(file));
      if (why) errors[`adapters.${i}.file`] = [`${a.file} does not fit this base model: ${why}.`];
    } catch (error) {
      errors[`adapters.${i}.file`] = [`${a.file}.gguf cannot be read (${(error as Error).message}).`];
    }
  }
  const first = Object.entries(errors)[0];
  if (first) throw new AppError("VALIDATION", `${first[0]}: ${first[1][0]}`, { fieldErrors: errors });
}

async function checkFailover(ctx: DeploymentsContext, failoverModelId: string | null): Promise<void> {
  if (!failoverModelId) return;
  const [row] = await ctx.db.select({ enabled: models.enabled, name: models.name }).from(models).where(eq(models.id, failoverModelId));
  if (!row) throw fieldError("failoverModelId", "That failover model is not in the catalogue.");
  if (!row.enabled) throw fieldError("failoverModelId", `${row.name} is disabled; enable it on the Models page or pick another.`);
}

// ---- writes ---------------------------------------------------------------------------------------

export async function createDeployment(ctx: DeploymentsContext, actor: Actor | null, input: CreateDeployment, ipAddress: string | null = null): Promise<DeploymentDto> {
  const [taken] = await ctx.db.select({ id: deployments.id }).from(deployments).where(eq(deployments.name, input.name));
  if (taken) throw nameTaken(input.name);
  // A local model's public id is its file name: a deployment of that name would take its gateway calls.
  const [model] = await ctx.db.select({ id: models.id }).from(models).where(and(eq(models.providerId, LOCAL_PROVIDER_ID), eq(models.name, input.name)));
  if (model) throw fieldError("name", `"${input.name}" is the name of a local model; apps calling it would reach this deployment instead. Pick another name.`, "CONFLICT");
  const base = await checkBaseModel(ctx, input.modelId);
  await checkAdapters(ctx, base.file, input.adapters);
  await checkFailover(ctx, input.failoverModelId);
  const id = crypto.randomUUID();
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(deployments).values({
        id,
        name: input.name,
        modelId: base.id,
        adapters: input.adapters,
        engine: input.engine,
        minReplicas: input.minReplicas,
        maxReplicas: input.maxReplicas,
        targetConcurrency: input.targetConcurrency,
        scaleUpWindowS: input.scaleUpWindowS,
        scaleDownWindowS: input.scaleDownWindowS,
        scaleToZeroAfterS: input.scaleToZeroAfterS,
        failoverModelId: input.failoverModelId,
        desiredReplicas: input.minReplicas,
        createdBy: actor?.id ?? null,
      });
      const adapters = input.adapters.length ? ` with adapters ${input.adapters.map((a) => a.name).join(", ")}` : "";
      await recordDeploymentEvent(tx, { id, name: input.name }, "created", `Created on ${base.name}${adapters}: ${input.minReplicas}–${input.maxReplicas} replicas, ${input.engine.parallel} parallel sequences and ${input.engine.threads} thread(s) each.`);
      await recordAudit(tx, { actor, action: "deployment.create", target: input.name, ipAddress, details: { model: base.name, minReplicas: input.minReplicas, maxReplicas: input.maxReplicas } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
  return getDeployment(ctx, input.name);
}

async function requireDeployment(db: Tx, name: string): Promise<Deployment> {
  const [row] = await db.select().from(deployments).where(eq(deployments.name, name));
  if (!row) throw new AppError("NOT_FOUND", `There is no deployment named "${name}".`);
  return row;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateDeployment(ctx: DeploymentsContext, actor: Actor | null, input: UpdateDeployment, ipAddress: string | null = null): Promise<DeploymentDto> {
  const current = await requireDeployment(ctx.db, input.name);
  const next = {
    adapters: input.adapters ?? current.adapters,
    engine: input.engine ?? current.engine,
    minReplicas: input.minReplicas ?? current.minReplicas,
    maxReplicas: input.maxReplicas ?? current.maxReplicas,
    targetConcurrency: input.targetConcurrency ?? current.targetConcurrency,
    scaleUpWindowS: input.scaleUpWindowS ?? current.scaleUpWindowS,
    scaleDownWindowS: input.scaleDownWindowS ?? current.scaleDownWindowS,
    scaleToZeroAfterS: input.scaleToZeroAfterS === undefined ? current.scaleToZeroAfterS : input.scaleToZeroAfterS,
    failoverModelId: input.failoverModelId === undefined ? current.failoverModelId : input.failoverModelId,
  };
  if (next.minReplicas > next.maxReplicas) {
    const field = input.minReplicas !== undefined ? "minReplicas" : "maxReplicas";
    throw fieldError(field, `The minimum (${next.minReplicas}) is above the maximum (${next.maxReplicas}).`);
  }
  if (input.adapters) {
    const base = await checkBaseModel(ctx, current.modelId);
    await checkAdapters(ctx, base.file, next.adapters);
  }
  if (input.failoverModelId !== undefined) await checkFailover(ctx, next.failoverModelId);
  const rolls = !sameJson(next.adapters, current.adapters) || !sameJson(next.engine, current.engine);
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => !sameJson(next[k], current[k]));
  if (changed.length === 0) return getDeployment(ctx, current.name);
  const desiredReplicas = current.desiredReplicas === 0 && next.minReplicas === 0 ? 0 : Math.min(next.maxReplicas, Math.max(next.minReplicas, current.desiredReplicas));
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(deployments)
      .set({ ...next, desiredReplicas, generation: rolls ? current.generation + 1 : current.generation, updatedAt: new Date() })
      .where(eq(deployments.id, current.id));
    const what = changed.map((k) => SETTING_LABELS[k]).join(", ");
    await recordDeploymentEvent(tx, current, "settings_changed", `Settings changed (${what})${rolls ? `; rolling the replicas to generation ${current.generation + 1}` : ""}.`, {
      details: { changed, generation: rolls ? current.generation + 1 : current.generation },
    });
    await recordAudit(tx, { actor, action: "deployment.update", target: current.name, ipAddress, details: { changed } });
  });
  return getDeployment(ctx, current.name);
}

const SETTING_LABELS: Record<string, string> = {
  adapters: "adapters",
  engine: "engine settings",
  minReplicas: "minimum replicas",
  maxReplicas: "maximum replicas",
  targetConcurrency: "target concurrency",
  scaleUpWindowS: "scale-up window",
  scaleDownWindowS: "scale-down window",
  scaleToZeroAfterS: "scale to zero",
  failoverModelId: "failover model",
};

export async function setDeploymentPaused(ctx: DeploymentsContext, actor: Actor | null, name: string, paused: boolean, ipAddress: string | null = null): Promise<DeploymentDto> {
  const current = await requireDeployment(ctx.db, name);
  const status = paused ? "paused" : "running";
  if (current.status !== status) {
    await ctx.db.transaction(async (tx) => {
      await tx.update(deployments).set({ status, updatedAt: new Date(), desiredReplicas: paused ? current.desiredReplicas : Math.max(current.minReplicas, current.desiredReplicas) }).where(eq(deployments.id, current.id));
      await recordDeploymentEvent(tx, current, paused ? "paused" : "resumed", paused ? "Paused: every replica stops after its requests finish." : "Resumed: replicas start again.");
      await recordAudit(tx, { actor, action: paused ? "deployment.pause" : "deployment.resume", target: name, ipAddress });
    });
  }
  return getDeployment(ctx, name);
}

/** The reconciler stops the replicas of a deployment that is gone; the events stay, with its name. */
export async function deleteDeployment(ctx: DeploymentsContext, actor: Actor | null, name: string, ipAddress: string | null = null): Promise<void> {
  const current = await requireDeployment(ctx.db, name);
  await ctx.db.transaction(async (tx) => {
    await recordDeploymentEvent(tx, { id: null, name }, "deleted", "Deleted: every replica is stopped.");
    await tx.delete(deployments).where(eq(deployments.id, current.id));
    await recordAudit(tx, { actor, action: "deployment.delete", target: name, ipAddress });
  });
}

// ---- reads ----------------------------------------------------------------------------------------

function replicaDto(r: DeploymentReplica, load?: { active: number; queued: number }): ReplicaDto {
  return {
    id: r.id,
    generation: r.generation,
    state: r.state,
    pid: r.pid,
    port: r.port,
    restarts: r.restarts,
    error: r.error,
    startedAt: r.startedAt.toISOString(),
    readyAt: r.readyAt?.toISOString() ?? null,
    active: load?.active ?? null,
    queued: load?.queued ?? null,
  };
}

export function deploymentState(d: Pick<Deployment, "status" | "desiredReplicas">, replicas: Pick<DeploymentReplica, "state">[]): DeploymentState {
  if (d.status === "paused") return "paused";
  const ready = replicas.filter((r) => r.state === "ready").length;
  if (d.desiredReplicas === 0 && ready === 0) return "idle";
  if (ready >= d.desiredReplicas && ready > 0) return "ready";
  if (ready > 0) return "degraded";
  if (replicas.some((r) => r.state === "failed") && !replicas.some((r) => r.state === "starting" || r.state === "restarting")) return "failed";
  return "starting";
}

/** Live per-replica load from the reconciler of this process, when it runs here. */
export type ReplicaLoadLookup = (replicaId: string) => { active: number; queued: number } | undefined;
// Set by the reconciler service in one module graph, read by routes in another: one per process.
const loadHolder = processSingleton("kindling.deployments.replica-load", () => ({ lookup: (() => undefined) as ReplicaLoadLookup }));
const replicaLoad: ReplicaLoadLookup = (id) => loadHolder.lookup(id);
export function setReplicaLoadLookup(fn: ReplicaLoadLookup): void {
  loadHolder.lookup = fn;
}

async function toDtos(db: Db, rows: { d: Deployment; modelName: string; failoverName: string | null }[]): Promise<DeploymentDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.d.id);
  const [replicas, samples] = await Promise.all([
    db.select().from(deploymentReplicas).where(and(inArray(deploymentReplicas.deploymentId, ids), ne(deploymentReplicas.state, "stopped"))).orderBy(asc(deploymentReplicas.startedAt)),
    db
      .select({ deploymentId: deploymentSamples.deploymentId, intervalS: deploymentSamples.intervalS, requests: deploymentSamples.requests, errors: deploymentSamples.errors, ttftBuckets: deploymentSamples.ttftBuckets })
      .from(deploymentSamples)
      .where(and(inArray(deploymentSamples.deploymentId, ids), gte(deploymentSamples.at, new Date(Date.now() - STATS_WINDOW_MS)))),
  ]);
  return rows.map(({ d, modelName, failoverName }) => {
    const mine = replicas.filter((r) => r.deploymentId === d.id);
    return {
      id: d.id,
      name: d.name,
      model: { id: d.modelId, name: modelName },
      adapters: d.adapters,
      engine: d.engine,
      minReplicas: d.minReplicas,
      maxReplicas: d.maxReplicas,
      targetConcurrency: d.targetConcurrency,
      scaleUpWindowS: d.scaleUpWindowS,
      scaleDownWindowS: d.scaleDownWindowS,
      scaleToZeroAfterS: d.scaleToZeroAfterS,
      failoverModel: d.failoverModelId && failoverName ? { id: d.failoverModelId, name: failoverName } : null,
      status: d.status,
      state: deploymentState(d, mine),
      desiredReplicas: d.status === "paused" ? 0 : d.desiredReplicas,
      readyReplicas: mine.filter((r) => r.state === "ready").length,
      generation: d.generation,
      replicas: mine.map((r) => replicaDto(r, replicaLoad(r.id))),
      stats: summarizeSamples(samples.filter((s) => s.deploymentId === d.id)),
      lastRequestAt: d.lastRequestAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    };
  });
}

async function selectDeployments(db: Db, name?: string) {
  const failover = db.$with("failover").as(db.select({ id: models.id, name: models.name }).from(models));
  const rows = await db
    .with(failover)
    .select({ d: deployments, modelName: models.name, failoverName: failover.name })
    .from(deployments)
    .innerJoin(models, eq(deployments.modelId, models.id))
    .leftJoin(failover, eq(deployments.failoverModelId, failover.id))
    .where(name === undefined ? undefined : eq(deployments.name, name))
    .orderBy(asc(deployments.name));
  return rows;
}

export async function listDeployments(ctx: DeploymentsContext): Promise<DeploymentDto[]> {
  return toDtos(ctx.db, await selectDeployments(ctx.db));
}

export async function getDeployment(ctx: DeploymentsContext, name: string): Promise<DeploymentDto> {
  const rows = await selectDeployments(ctx.db, name);
  if (rows.length === 0) throw new AppError("NOT_FOUND", `There is no deployment named "${name}".`);
  return (await toDtos(ctx.db, rows))[0];
}

/** Newest first; events of a deleted deployment are found by its name. */
export async function listDeploymentEvents(ctx: DeploymentsContext, name: string, options: { limit?: number; before?: number } = {}): Promise<DeploymentEventDto[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const rows = await ctx.db
    .select()
    .from(deploymentEvents)
    .where(and(eq(deploymentEvents.deploymentName, name), options.before ? lt(deploymentEvents.id, options.before) : undefined))
    .orderBy(desc(deploymentEvents.id))
    .limit(limit);
  return rows.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, message: e.message, replicaId: e.replicaId }));
}

/** The samples of the last `minutes`, oldest first, for the live charts. */
export async function listDeploymentSamples(ctx: DeploymentsContext, name: string, minutes = 30): Promise<DeploymentSampleDto[]> {
  const d = await requireDeployment(ctx.db, name);
  const rows = await ctx.db
    .select()
    .from(deploymentSamples)
    .where(and(eq(deploymentSamples.deploymentId, d.id), gte(deploymentSamples.at, new Date(Date.now() - minutes * 60_000))))
    .orderBy(asc(deploymentSamples.at));
  return rows.map((s) => ({
    at: s.at.toISOString(),
    readyReplicas: s.readyReplicas,
    desiredReplicas: s.desiredReplicas,
    concurrency: s.concurrency,
    requestsPerMinute: s.intervalS > 0 ? (s.requests / s.intervalS) * 60 : 0,
    ttftP50Ms: histogramQuantileMs(s.ttftBuckets, 0.5),
    ttftP95Ms: histogramQuantileMs(s.ttftBuckets, 0.95),
  }));
}

/** What the create form offers: local models whose file is readable, adapter files, and failover candidates. */
export async function getDeploymentFormOptions(ctx: DeploymentsContext): Promise<DeploymentFormOptions> {
  const dir = ctx.modelsDir ?? modelsDir();
  const [files, rows] = await Promise.all([
    listModelFiles(dir),
    ctx.db
      .select({ id: models.id, name: models.name, displayName: models.displayName, providerId: models.providerId, providerName: providers.name, enabled: models.enabled })
      .from(models)
      .innerJoin(providers, eq(models.providerId, providers.id))
      .orderBy(asc(models.name)),
  ]);
  const readable = new Set(files.filter((f) => f.kind === "model" && !f.error).map((f) => f.id));
  return {
    baseModels: rows.filter((r) => r.providerId === LOCAL_PROVIDER_ID && readable.has(r.name)).map((r) => ({ id: r.id, name: r.name })),
    adapterFiles: files.filter((f) => f.kind === "adapter" && !f.error).map((f) => ({ file: f.id, architecture: f.architecture ?? null })),
    failoverModels: rows.filter((r) => r.enabled).map((r) => ({ id: r.id, name: r.displayName || r.name, providerName: r.providerName })),
  };
}
