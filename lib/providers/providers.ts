// Providers: list, add, change and remove OpenAI-compatible endpoints (the local one is built in),
// test a connection by listing the provider's models, and import chosen models into the catalogue.
import "server-only";
import { and, count, eq, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { models, providers, type Provider } from "@/db/schema";
import type { Actor } from "@/lib/auth/accounts";
import { recordAudit } from "@/lib/audit/audit";
import { AppError } from "@/lib/errors";
import { apiKeyHint, KeyDecryptError, openApiKey, sealApiKey } from "./crypto";
import { checkProviderUrl, providerFetch, type HostLookup } from "./http";
import { LOCAL_PROVIDER_ID } from "./local";
import type { ConnectionResultDto, ProviderDto } from "./query-options";
import { invalidateModelTargets } from "./target-cache";

export interface ProvidersContext {
  db: Db;
}

/** Dependencies a test may replace at the network boundary. */
export interface NetworkOptions {
  lookup?: HostLookup;
  timeoutMs?: number;
}

export const CONNECTION_TIMEOUT_MS = 10_000;

function toDto(p: Provider, modelCount: number): ProviderDto {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    baseUrl: p.baseUrl,
    apiKeyHint: p.apiKeyCiphertext ? p.apiKeyHint : null,
    modelCount,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The local provider first, then by name. Keys never leave this module in any form but the hint. */
export async function listProviders({ db }: ProvidersContext): Promise<ProviderDto[]> {
  const rows = await db.select().from(providers);
  const counts = await db.select({ providerId: models.providerId, n: count() }).from(models).groupBy(models.providerId);
  const byProvider = new Map(counts.map((c) => [c.providerId, c.n]));
  return rows
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "local" ? -1 : 1))
    .map((p) => toDto(p, byProvider.get(p.id) ?? 0));
}

async function getProviderRow(db: Db, id: string): Promise<Provider> {
  const [row] = await db.select().from(providers).where(eq(providers.id, id));
  if (!row) throw new AppError("NOT_FOUND", "That provider no longer exists.");
  return row;
}

/** A base URL as stored: checked (scheme, credentials, metadata hosts) and without a trailing slash. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = checkProviderUrl(raw.trim());
  } catch (error) {
    if (error instanceof AppError) throw new AppError("VALIDATION", error.message, { fieldErrors: { baseUrl: [error.message] } });
    throw error;
  }
  if (url.search || url.hash) {
    const message = "Leave out the query string and fragment: the base URL ends before /chat/completions.";
    throw new AppError("VALIDATION", message, { fieldErrors: { baseUrl: [message] } });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Postgres unique violation (23505), however the driver wraps it. */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

function nameTaken(): AppError {
  const message = "Another provider already has this name.";
  return new AppError("CONFLICT", message, { fieldErrors: { name: [message] } });
}

/** Two admins saving the same name at once: the loser gets the same field error as the check below. */
async function withNameCheck<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

async function assertNameFree(db: Tx, name: string, exceptId?: string): Promise<void> {
  const [taken] = await db
    .select({ id: providers.id })
    .from(providers)
    .where(and(sql`lower(${providers.name}) = lower(${name})`, exceptId ? ne(providers.id, exceptId) : undefined));
  if (taken) throw nameTaken();
}

export async function createProvider(
  { db }: ProvidersContext,
  actor: Actor,
  input: { name: string; baseUrl: string; apiKey: string },
  ipAddress: string | null,
): Promise<ProviderDto> {
  const baseUrl = normalizeBaseUrl(input.baseUrl);
  const id = crypto.randomUUID();
  const sealed = input.apiKey ? sealApiKey(input.apiKey, id) : null;
  const row = await withNameCheck(() => db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [created] = await tx
      .insert(providers)
      .values({
        id,
        name: input.name,
        kind: "openai-compatible",
        baseUrl,
        apiKeyCiphertext: sealed?.ciphertext ?? null,
        apiKeyVersion: sealed?.version ?? null,
        apiKeyHint: input.apiKey ? apiKeyHint(input.apiKey) : null,
        createdBy: actor.id,
      })
      .returning();
    await recordAudit(tx, { actor, action: "provider.add", target: created.name, ipAddress, details: { baseUrl, withApiKey: !!sealed } });
    return created;
  }));
  return toDto(row, 0);
}

export async function updateProvider(
  { db }: ProvidersContext,
  actor: Actor,
  input: { id: string; name: string; baseUrl: string; apiKey: string; removeApiKey: boolean },
  ipAddress: string | null,
): Promise<ProviderDto> {
  const baseUrl = normalizeBaseUrl(input.baseUrl);
  return withNameCheck(() => db.transaction(async (tx) => {
    const [current] = await tx.select().from(providers).where(eq(providers.id, input.id)).for("update");
    if (!current) throw new AppError("NOT_FOUND", "That provider no longer exists.");
    if (current.kind === "local") throw new AppError("CONFLICT", "The local provider is built in: it has no URL or key to change.");
    await assertNameFree(tx, input.name, current.id);
    const changed: string[] = [];
    const patch: Partial<typeof providers.$inferInsert> = { updatedAt: new Date() };
    if (input.name !== current.name) {
      patch.name = input.name;
      changed.push("name");
    }
    if (baseUrl !== current.baseUrl) {
      patch.baseUrl = baseUrl;
      changed.push("base URL");
    }
    if (input.apiKey) {
      const sealed = sealApiKey(input.apiKey, current.id);
      Object.assign(patch, { apiKeyCiphertext: sealed.ciphertext, apiKeyVersion: sealed.version, apiKeyHint: apiKeyHint(input.apiKey) });
      changed.push("API key");
    } else if (input.removeApiKey && current.apiKeyCiphertext) {
      Object.assign(patch, { apiKeyCiphertext: null, apiKeyVersion: null, apiKeyHint: null });
      changed.push("API key removed");
    }
    const [row] = await tx.update(providers).set(patch).where(eq(providers.id, current.id)).returning();
    if (changed.length > 0) await recordAudit(tx, { actor, action: "provider.update", target: row.name, ipAddress, details: { changed } });
    const [{ n }] = await tx.select({ n: count() }).from(models).where(eq(models.providerId, row.id));
    return toDto(row, n);
  })).finally(invalidateModelTargets);
}

/** Removes a provider and its models (their prices go too; usage rows keep names as text). */
export async function deleteProvider({ db }: ProvidersContext, actor: Actor, input: { id: string }, ipAddress: string | null): Promise<void> {
  if (input.id === LOCAL_PROVIDER_ID) throw new AppError("CONFLICT", "The local provider is built in and cannot be removed.");
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(providers).where(eq(providers.id, input.id)).for("update");
    if (!row) throw new AppError("NOT_FOUND", "That provider no longer exists.");
    if (row.kind === "local") throw new AppError("CONFLICT", "The local provider is built in and cannot be removed.");
    const [{ n }] = await tx.select({ n: count() }).from(models).where(eq(models.providerId, row.id));
    await tx.delete(providers).where(eq(providers.id, row.id));
    await recordAudit(tx, { actor, action: "provider.remove", target: row.name, ipAddress, details: { baseUrl: row.baseUrl, models: n } });
  }).finally(invalidateModelTargets);
}

function decryptKey(p: Provider): string | null {
  if (!p.apiKeyCiphertext) return null;
  try {
    return openApiKey({ ciphertext: p.apiKeyCiphertext, version: p.apiKeyVersion ?? -1 }, p.id);
  } catch (error) {
    if (error instanceof KeyDecryptError) throw new AppError("UNAVAILABLE", `The API key of ${p.name} cannot be read: ${error.message}.`);
    throw error;
  }
}

const CONTEXT_FIELDS = ["context_length", "max_model_len", "context_window", "max_context_length"] as const;
const MAX_LIST_BYTES = 5 * 1024 * 1024;

async function readLimited(res: Response, limit: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("UPSTREAM", "The provider's model list is larger than 5 MB.");
    }
    chunks.push(r.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * GET {baseUrl}/models: the ids of the models the endpoint serves. Every failure is an AppError with
 * a sentence an admin can act on; the upstream body is never passed on.
 */
export async function fetchRemoteModels(
  target: { name: string; baseUrl: string; apiKey: string | null },
  options: NetworkOptions = {},
): Promise<{ latencyMs: number; models: { id: string; contextLength: number | null }[] }> {
  const timeoutMs = options.timeoutMs ?? CONNECTION_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  const started = performance.now();
  let text: string;
  let status: number;
  try {
    const res = await providerFetch(`${target.baseUrl}/models`, { method: "GET", headers, signal }, { lookup: options.lookup });
    status = res.status;
    text = res.ok ? await readLimited(res, MAX_LIST_BYTES) : "";
    if (!res.ok) await res.body?.cancel();
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      throw new AppError("UPSTREAM", `${target.name} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    }
    throw error;
  }
  const latencyMs = Math.round(performance.now() - started);
  if (status === 401 || status === 403) {
    throw new AppError("UPSTREAM", `${target.name} refused the API key (HTTP ${status}). Check the key, or whether this endpoint needs one.`);
  }
  if (status === 404) {
    throw new AppError("UPSTREAM", `${target.name} has no model list at ${target.baseUrl}/models (HTTP 404). The base URL usually ends in /v1.`);
  }
  if (status < 200 || status >= 300) throw new AppError("UPSTREAM", `${target.name} answered HTTP ${status} to the model list request.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("UPSTREAM", `${target.name} did not answer with JSON: is ${target.baseUrl} an OpenAI-compatible endpoint?`);
  }
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) throw new AppError("UPSTREAM", `${target.name}'s answer is not an OpenAI model list (no "data" array).`);
  const list = data
    .filter((m): m is Record<string, unknown> => typeof m === "object" && m !== null && typeof (m as { id?: unknown }).id === "string")
    .map((m) => {
      const ctx = CONTEXT_FIELDS.map((f) => m[f]).find((v) => typeof v === "number" && Number.isInteger(v) && v > 0);
      return { id: m.id as string, contextLength: (ctx as number | undefined) ?? null };
    });
  return { latencyMs, models: list.sort((a, b) => a.id.localeCompare(b.id)) };
}

/** "Test connection": the provider's models, each marked when it is already in the catalogue. */
export async function testProviderConnection({ db }: ProvidersContext, input: { id: string }, options: NetworkOptions = {}): Promise<ConnectionResultDto> {
  const p = await getProviderRow(db, input.id);
  if (p.kind === "local" || !p.baseUrl) throw new AppError("CONFLICT", "The local provider has no connection to test: its models are the files in the models directory.");
  const remote = await fetchRemoteModels({ name: p.name, baseUrl: p.baseUrl, apiKey: decryptKey(p) }, options);
  const have = new Set((await db.select({ name: models.name }).from(models).where(eq(models.providerId, p.id))).map((m) => m.name));
  return { providerId: p.id, latencyMs: remote.latencyMs, models: remote.models.map((m) => ({ ...m, imported: have.has(m.id) })) };
}

/**
 * Adds the chosen models of a provider to the catalogue, checked against the provider's own list.
 * They arrive without a price: an admin sets it on /models (no made-up numbers).
 */
export async function importProviderModels(
  { db }: ProvidersContext,
  actor: Actor,
  input: { providerId: string; names: string[] },
  ipAddress: string | null,
  options: NetworkOptions = {},
): Promise<{ imported: string[]; alreadyPresent: string[] }> {
  const p = await getProviderRow(db, input.providerId);
  if (p.kind === "local" || !p.baseUrl) throw new AppError("CONFLICT", "Local models are imported by placing .gguf files in the models directory.");
  const remote = await fetchRemoteModels({ name: p.name, baseUrl: p.baseUrl, apiKey: decryptKey(p) }, options);
  const offered = new Map(remote.models.map((m) => [m.id, m]));
  const unknown = input.names.filter((n) => !offered.has(n));
  if (unknown.length > 0) throw new AppError("VALIDATION", `${p.name} does not list ${unknown.join(", ")}.`);
  return db.transaction(async (tx) => {
    const imported: string[] = [];
    const alreadyPresent: string[] = [];
    for (const name of [...new Set(input.names)]) {
      const [row] = await tx
        .insert(models)
        .values({ id: crypto.randomUUID(), providerId: p.id, name, contextLength: offered.get(name)!.contextLength })
        .onConflictDoNothing()
        .returning({ id: models.id });
      (row ? imported : alreadyPresent).push(name);
    }
    if (imported.length > 0) await recordAudit(tx, { actor, action: "model.import", target: p.name, ipAddress, details: { models: imported } });
    return { imported, alreadyPresent };
  }).finally(invalidateModelTargets);
}
