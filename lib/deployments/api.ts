// The management API's shapes: snake_case JSON in and out, OpenAI-shaped errors naming the field.
// Routes under app/api/v1/deployments call these and lib/deployments; nothing else is special.
import "server-only";
import { and, eq, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { apiErrorResponse, defineApiRoute as defineSharedApiRoute, readJson, type ApiRouteContext } from "@/lib/http/api-route";
import type { DeploymentDto, DeploymentEventDto } from "./query-options";
import type { CreateDeploymentInput, UpdateDeploymentInput } from "./schemas";

const TO_SNAKE: Record<string, string> = {
  modelId: "model",
  failoverModelId: "failover_model",
  minReplicas: "min_replicas",
  maxReplicas: "max_replicas",
  targetConcurrency: "target_concurrency",
  scaleUpWindowS: "scale_up_window_s",
  scaleDownWindowS: "scale_down_window_s",
  scaleToZeroAfterS: "scale_to_zero_after_s",
  contextSize: "context_size",
};

/** "engine.contextSize" -> "engine.context_size", "modelId" -> "model". */
export function snakeParam(path: string): string {
  return path
    .split(".")
    .map((p) => TO_SNAKE[p] ?? p)
    .join(".");
}

export const apiError = (error: unknown): Response => apiErrorResponse(error, snakeParam);

export function toApiDeployment(d: DeploymentDto) {
  return {
    object: "deployment",
    id: d.id,
    name: d.name,
    model: d.model.name,
    adapters: d.adapters.map((a) => ({ name: a.name, file: a.file, scale: a.scale, model: `${d.name}:${a.name}` })),
    min_replicas: d.minReplicas,
    max_replicas: d.maxReplicas,
    desired_replicas: d.desiredReplicas,
    ready_replicas: d.readyReplicas,
    target_concurrency: d.targetConcurrency,
    scale_up_window_s: d.scaleUpWindowS,
    scale_down_window_s: d.scaleDownWindowS,
    scale_to_zero_after_s: d.scaleToZeroAfterS,
    failover_model: d.failoverModel?.name ?? null,
    engine: { threads: d.engine.threads, parallel: d.engine.parallel, context_size: d.engine.contextSize },
    paused: d.status === "paused",
    state: d.state,
    generation: d.generation,
    replicas: d.replicas.map((r) => ({ id: r.id, pid: r.pid, state: r.state, restarts: r.restarts, generation: r.generation })),
    stats_15m: { requests_per_minute: d.stats.requestsPerMinute, ttft_p50_ms: d.stats.ttftP50Ms, ttft_p95_ms: d.stats.ttftP95Ms, error_rate: d.stats.errorRate },
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function toApiEvent(e: DeploymentEventDto) {
  return { id: e.id, at: e.at, kind: e.kind, message: e.message, replica_id: e.replicaId };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** A model named by its id or by its name ("local" first); undefined leaves the check to lib. */
async function modelIdOf(db: Db, ref: unknown, field: string, localOnly: boolean): Promise<string | undefined> {
  if (ref === undefined || ref === null) return undefined;
  if (typeof ref !== "string" || !ref) throw new AppError("VALIDATION", "Give a model name.", { fieldErrors: { [field]: ["Give a model name."] } });
  const rows = await db
    .select({ id: models.id, providerId: models.providerId })
    .from(models)
    .where(and(or(eq(models.id, ref), eq(models.name, ref)), localOnly ? eq(models.providerId, "local") : undefined));
  const row = rows.find((r) => r.providerId === "local") ?? rows[0];
  if (!row) throw new AppError("VALIDATION", `There is no model "${ref}" in the catalogue.`, { fieldErrors: { [field]: [`There is no model "${ref}" in the catalogue.`] } });
  return row.id;
}

function engineIn(v: unknown) {
  if (v === undefined) return undefined;
  const e = obj(v);
  return { threads: e.threads, parallel: e.parallel, contextSize: e.context_size ?? null } as CreateDeploymentInput["engine"];
}

function scalingIn(b: Json) {
  return {
    minReplicas: b.min_replicas,
    maxReplicas: b.max_replicas,
    targetConcurrency: b.target_concurrency,
    scaleUpWindowS: b.scale_up_window_s,
    scaleDownWindowS: b.scale_down_window_s,
    scaleToZeroAfterS: b.scale_to_zero_after_s,
  } as Pick<CreateDeploymentInput, "minReplicas" | "maxReplicas" | "targetConcurrency" | "scaleUpWindowS" | "scaleDownWindowS" | "scaleToZeroAfterS">;
}

const dropUndefined = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export async function createInputFromApi(db: Db, body: unknown): Promise<CreateDeploymentInput> {
  const b = obj(body);
  return dropUndefined({
    name: b.name as string,
    modelId: (await modelIdOf(db, b.model, "modelId", true)) ?? "",
    adapters: b.adapters as CreateDeploymentInput["adapters"],
    engine: engineIn(b.engine),
    ...scalingIn(b),
    failoverModelId: (await modelIdOf(db, b.failover_model, "failoverModelId", false)) ?? null,
  });
}

export async function updateInputFromApi(db: Db, name: string, body: unknown): Promise<UpdateDeploymentInput> {
  const b = obj(body);
  return dropUndefined({
    name,
    adapters: b.adapters as UpdateDeploymentInput["adapters"],
    engine: engineIn(b.engine),
    ...scalingIn(b),
    failoverModelId: b.failover_model === null ? null : await modelIdOf(db, b.failover_model, "failoverModelId", false),
  });
}

/** A deployments management-API handler: the shared /api/v1 route with this area's field names. */
export function defineApiRoute<P>(role: Role, handler: (request: Request, ctx: ApiRouteContext<P>) => Promise<Response>) {
  return defineSharedApiRoute(role, handler, { param: snakeParam });
}

export { readJson };
