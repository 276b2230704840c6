// From the `model` a caller names to where the call goes: a registered resolver (deployments,
// fine-tuned models...) first, then a model row by its id or its public id. Nothing above this
// knows whether a model is local, a deployment or remote.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, providers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { LOCAL_PROVIDER_ID, presentLocalModels } from "@/lib/providers/local";
import { resolveModelTarget, type ModelTarget } from "@/lib/providers/resolve";
import { publicIdCache } from "@/lib/providers/target-cache";

/**
 * A replica that serves this one request, handed out by a resolver. The inference path calls
 * `started()` just before it sends the request to `baseUrl` and `ended()` exactly once when the
 * request is over (however it ends), so the resolver can count outstanding requests per replica.
 */
export interface ReplicaLease {
  id: string;
  started(): void;
  ended(outcome: "ok" | "error" | "aborted"): void;
}

export interface InferenceTarget extends ModelTarget {
  /** What callers send as `model` and what /v1/models lists. */
  publicId: string;
  replica?: ReplicaLease;
  /** The deployment the request named, when it named one (its replica or its failover answers). */
  deployment?: string;
}

export interface PublicModel {
  /** The `model` a client sends. */
  id: string;
  ownedBy: string;
  createdAt: Date;
}

/** A registered name as list() gives it: what /v1/models shows, and how a model picker presents it. */
export interface ListedModel extends PublicModel {
  /** The picker's group heading, e.g. "Deployments". */
  group: string;
  displayName: string;
  contextLength: number | null;
  /** A word or two on whether it answers now ("ready", "scaled to zero"). */
  status: string | null;
  /** A sentence for whoever picks it when its first answer will wait or fail (a cold start, a pause). */
  note: string | null;
}

/**
 * The hook through which an area makes its own names resolvable (lib/deployments registers
 * `<deployment>` and `<deployment>:<adapter>`). The contract:
 * - `resolve(db, model, { excludeReplicas })` is called once per request. Return null when the name
 *   is not yours (the next resolver, then the model catalogue, is tried); throw an AppError for a
 *   name that is yours but cannot be served (NOT_FOUND, UNAVAILABLE: no ready replica...).
 * - Pick a replica per request and return it as `replica` (a ReplicaLease): the path calls
 *   `started()` when the request is sent to it and `ended(outcome)` when it is over, so the
 *   reconciler can count outstanding requests and scale on them.
 * - When a replica fails before the first token, the path asks once more with that replica's id in
 *   `excludeReplicas` and retries there (once); after the first token nothing is retried.
 * - `list(db)` (optional) names what /v1/models and the playground's model picker show for it.
 * It must be fast: it runs on every request, before the first token.
 */
export interface TargetResolver {
  resolve(db: Db, model: string, options: { excludeReplicas: string[] }): Promise<InferenceTarget | null>;
  list?(db: Db): Promise<ListedModel[]>;
}

export type ModelMatcher = string | RegExp | ((model: string) => boolean);

interface Registered {
  matches(model: string): boolean;
  resolver: TargetResolver;
}

// One per process: the console's server and Next's bundles are separate module graphs.
function registry(): Registered[] {
  return processSingleton("kindling.inference.target-resolvers", () => [] as Registered[]);
}

/**
 * Registers a resolver for names matching `match` (a string prefix, a RegExp or a predicate).
 * Returns a function that unregisters it.
 */
export function registerTargetResolver(match: ModelMatcher, resolver: TargetResolver): () => void {
  const matches =
    typeof match === "string" ? (m: string) => m.startsWith(match) : match instanceof RegExp ? (m: string) => match.test(m) : match;
  const entry = { matches, resolver };
  registry().push(entry);
  return () => {
    const list = registry();
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
  };
}

/** A catalogue model's public id: the file name for local models, `<provider>/<name>` for the rest. */
export function publicModelId(provider: { id: string; name: string }, modelName: string): string {
  if (provider.id === LOCAL_PROVIDER_ID) return modelName;
  const slug = provider.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || provider.id;
  return `${slug}/${modelName}`;
}

const PUBLIC_IDS_MS = 5_000;

/** Every callable model: enabled catalogue models (local ones while their file is present), then registered ones. */
export async function listPublicModels(db: Db): Promise<PublicModel[]> {
  const rows = await db
    .select({ id: models.id, name: models.name, createdAt: models.createdAt, providerId: providers.id, providerName: providers.name })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id))
    .where(and(eq(models.enabled, true)));
  const present = await presentLocalModels(db);
  const out: PublicModel[] = rows
    .filter((r) => r.providerId !== LOCAL_PROVIDER_ID || present.has(r.name))
    .map((r) => ({ id: publicModelId({ id: r.providerId, name: r.providerName }, r.name), ownedBy: r.providerName, createdAt: r.createdAt }));
  for (const m of await listRegisteredModels(db)) out.push({ id: m.id, ownedBy: m.ownedBy, createdAt: m.createdAt });
  return out;
}

/** The names registered resolvers serve (deployments and their adapters...), as their lists give them. */
export async function listRegisteredModels(db: Db): Promise<ListedModel[]> {
  const out: ListedModel[] = [];
  for (const { resolver } of registry()) if (resolver.list) out.push(...(await resolver.list(db)));
  return out;
}

/** The model row id for a public id or a row id; reloaded every few seconds and after
 * any catalogue write (invalidateModelTargets), and on a miss at most once a second. */
async function modelRowIdOf(db: Db, model: string): Promise<string | undefined> {
  const now = Date.now();
  const cached = publicIdCache().current;
  const hit = cached?.byId.get(model);
  if (cached && cached.until > now && (hit || cached.until - PUBLIC_IDS_MS + 1_000 > now)) return hit;
  const rows = await db
    .select({ id: models.id, name: models.name, providerId: providers.id, providerName: providers.name })
    .from(models)
    .innerJoin(providers, eq(models.providerId, providers.id));
  const byId = new Map<string, string>();
  for (const r of rows) {
    byId.set(r.id, r.id);
    byId.set(publicModelId({ id: r.providerId, name: r.providerName }, r.name), r.id);
  }
  publicIdCache().current = { until: now + PUBLIC_IDS_MS, byId };
  return byId.get(model);
}

/**
 * Resolves `model` (a registered name, a catalogue model's public id, or its row id). NOT_FOUND for
 * an unknown model; UNAVAILABLE for one that cannot serve now.
 */
export async function resolveTarget(db: Db, model: string, options: { excludeReplicas?: string[] } = {}): Promise<InferenceTarget> {
  for (const { matches, resolver } of registry()) {
    if (!matches(model)) continue;
    const target = await resolver.resolve(db, model, { excludeReplicas: options.excludeReplicas ?? [] });
    if (target) return target;
  }
  const rowId = await modelRowIdOf(db, model);
  if (!rowId) throw new AppError("NOT_FOUND", `The model ${model} does not exist.`);
  const target: ModelTarget = await resolveModelTarget(db, rowId);
  return { ...target, publicId: publicModelId(target.provider, target.model.name) };
}
