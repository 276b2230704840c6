// Configuration read from the environment, in one place: nothing else in lib/ or db/ reads
// process.env (README's configuration table mirrors this file).
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseNice } from "@/lib/engine/priority";

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.KINDLING_DATA_DIR || ".data");
}

export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function port(): number {
  return Number(process.env.PORT || 3000);
}

export function publicUrl(): string {
  return process.env.KINDLING_PUBLIC_URL || `http://localhost:${port()}`;
}

/** The address the HTTP server listens on; undefined means all interfaces. */
export function host(): string | undefined {
  return process.env.KINDLING_HOST || undefined;
}

/** KINDLING_ADMIN_EMAIL and KINDLING_ADMIN_PASSWORD, for an unattended first admin; each may be unset. */
export function adminFromEnv(): { email?: string; password?: string } {
  return { email: process.env.KINDLING_ADMIN_EMAIL || undefined, password: process.env.KINDLING_ADMIN_PASSWORD || undefined };
}

/** Earlier secrets (comma-separated KINDLING_SECRET_PREVIOUS) whose provider keys still open. */
export function previousSecrets(): string[] {
  return (process.env.KINDLING_SECRET_PREVIOUS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reverse-proxy hops whose X-Forwarded-For entries are trusted (KINDLING_TRUSTED_PROXIES). */
export function trustedProxies(): number {
  return Math.max(0, Math.floor(Number(process.env.KINDLING_TRUSTED_PROXIES) || 0));
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`);
  return n;
}

/** CPU threads per local engine process. */
export function engineThreads(): number {
  return positiveInt("KINDLING_ENGINE_THREADS", 1);
}

/**
 * The nice value (0-19; default 0, the console's own) local engines give themselves. 10 lets the
 * console's routing and metering go first under load, at a cost to multi-replica throughput (README).
 */
export function engineNice(): number {
  return niceValue("KINDLING_ENGINE_NICE", 0);
}

/** The same for the local fine-tuning trainer (KINDLING_TRAIN_NICE, default 10): training is batch work. */
export function trainNice(): number {
  return niceValue("KINDLING_TRAIN_NICE", 10);
}

function niceValue(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw === undefined || raw === "" ? fallback : parseNice(raw, name);
}

/** Concurrent sequences per local engine. */
export function engineParallel(): number {
  return positiveInt("KINDLING_ENGINE_PARALLEL", 4);
}

/** Crashes in a row after which a local engine stays down. */
export function engineMaxRestarts(): number {
  return positiveInt("KINDLING_ENGINE_MAX_RESTARTS", 5);
}

/** Keep one engine process waiting with llama.cpp loaded, for fast starts (KINDLING_ENGINE_STANDBY=0 turns it off). */
export function engineStandby(): boolean {
  return process.env.KINDLING_ENGINE_STANDBY !== "0";
}

/** Worker threads of the fine-tuning trainer. */
export function trainThreads(): number {
  return positiveInt("KINDLING_TRAIN_THREADS", 2);
}

/** Fine-tuning jobs one console runs at once. */
export function trainConcurrency(): number {
  return positiveInt("KINDLING_TRAIN_CONCURRENCY", 1);
}

/** How long a call may wait for its first token (KINDLING_FIRST_TOKEN_TIMEOUT_MS). */
export function firstTokenTimeoutMs(): number {
  return positiveInt("KINDLING_FIRST_TOKEN_TIMEOUT_MS", 120_000);
}

/** A kdl_ key to create for the first admin at start (KINDLING_INIT_API_KEY). */
export function initApiKey(): string | undefined {
  return process.env.KINDLING_INIT_API_KEY || undefined;
}

/** The API key a client (`npm run eval --url`, copied code snippets) sends to a Kindling gateway (KINDLING_API_KEY). */
export function clientApiKey(): string | undefined {
  return process.env.KINDLING_API_KEY || undefined;
}

/** Path of lib/engine/cli.ts when it cannot be found beside the manager (KINDLING_ENGINE_CLI; rarely needed). */
export function engineCliOverride(): string | undefined {
  return process.env.KINDLING_ENGINE_CLI || undefined;
}

/** Set by the engine manager on its children: an engine exits when its stdin closes (its parent died). */
export const ENGINE_WATCH_STDIN = "KINDLING_ENGINE_WATCH_STDIN";
export function engineWatchesStdin(): boolean {
  return process.env[ENGINE_WATCH_STDIN] === "1";
}

/** Where committed migrations are read from (KINDLING_MIGRATIONS_DIR; default db/migrations). */
export function migrationsDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.KINDLING_MIGRATIONS_DIR || path.join(process.cwd(), "db", "migrations"));
}

/** The PostgreSQL server database tests create their databases on (TEST_DATABASE_URL). */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
}

/** Which backend a database test runs on (KINDLING_TEST_DB, set per project by vitest.config.ts). */
export function testDatabaseKind(): string | undefined {
  return process.env.KINDLING_TEST_DB;
}

/**
 * KINDLING_SECRET, or the one generated into the data directory (mode 600) on first start.
 * It encrypts stored provider credentials and signs sessions, so it must survive restarts.
 */
export function secret(): string {
  const fromEnv = process.env.KINDLING_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("KINDLING_SECRET must be at least 32 characters long.");
    return fromEnv;
  }
  const dir = dataDir();
  const file = path.join(dir, "secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, value + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
  chmodSync(file, 0o600);
  return value;
}
