// What the console does once at server start, before it serves: open and migrate the database,
// make sure the secret exists, run the start-up work (first admin from the environment, provider
// keys re-encrypted after a secret rotation, the local engine's models registered), then start the
// background services in order. A start that fails stops what it started and exits non-zero:
// a console that cannot work must not answer every request with a 500.
import "server-only";
import { closeDatabase, initDatabase, type Db } from "@/db/client";
import { DataDirLockedError } from "@/db/data-dir-lock";
import { getAuthContext } from "@/lib/auth/auth";
import { countUsers, createFirstAdmin } from "@/lib/auth/accounts";
import { adminFromEnv, initApiKey, secret } from "@/lib/env";
import { registerDirectRoute } from "@/lib/http/direct-routes";
import { reconcilerService } from "@/lib/deployments/reconciler-service";
import { OPENAI_FINE_TUNING_ROUTES } from "@/lib/fine-tuning/openai-http";
import { fineTuningService } from "@/lib/fine-tuning/service";
import { evalRunnerService } from "@/lib/evals/runner-service";
import { jobRunnerService } from "@/lib/jobs/runner-service";
import { usageRollupService } from "@/lib/metering/rollup-service";
import { usageFlusherService } from "@/lib/metering/usage";
import { ensureInitApiKey } from "@/lib/api-keys/api-keys";
import { GATEWAY_CHAT_PATH, GATEWAY_MODELS_PATH, handleChatCompletions, handleListModels } from "@/lib/inference/gateway-http";
import { handlePlaygroundChat, PLAYGROUND_CHAT_PATH } from "@/lib/playground/chat-http";
import { processSingleton } from "@/lib/process-singleton";
import { reencryptProviderKeys } from "@/lib/providers/crypto";
import { stopAllEngines } from "@/lib/engine/supervisor";
import { initLocalProvider } from "@/lib/providers/local";
import { startServices, type BackgroundService } from "./services";
import { exitAfterFailedStart, handleShutdownSignals, onStopConsole } from "./shutdown";

/**
 * The background services, started in this order after migrations and stopped in reverse order.
 * The usage flusher is first, so it stops last: rows metered while the others stop are still written.
 * An area adds its service here with one line.
 */
export const SERVICES: readonly BackgroundService[] = [
  usageFlusherService,
  usageRollupService,
  jobRunnerService,
  reconcilerService,
  fineTuningService,
  evalRunnerService,
];

/** Starts the console once per process (Next may call instrumentation from more than one graph). */
export function startConsole(): Promise<void> {
  return processSingleton("kindling.console-start", () => startOrExit());
}

async function startOrExit(): Promise<void> {
  handleShutdownSignals();
  try {
    await start();
  } catch (error) {
    if (error instanceof DataDirLockedError) console.error(`[kindling] ${error.message}`);
    else console.error("[kindling] start-up failed; stopping.", error);
    await exitAfterFailedStart();
  }
}

async function start(): Promise<void> {
  secret();
  let stopServices: (() => Promise<void>) | null = null;
  // Registered before anything opens, so a start that fails half-way still closes what it opened.
  onStopConsole(async () => {
    await stopServices?.();
    await stopAllEngines();
    await closeDatabase();
  });
  const handle = await initDatabase();
  console.log(`[kindling] database ready (${handle.kind})`);
  // Several instances may start together on one PostgreSQL server: one at a time does this.
  await handle.exclusive(() => startupWork(handle.db));
  registerDirectRoute("POST", PLAYGROUND_CHAT_PATH, handlePlaygroundChat);
  registerDirectRoute("GET", GATEWAY_MODELS_PATH, handleListModels);
  registerDirectRoute("POST", GATEWAY_CHAT_PATH, handleChatCompletions);
  for (const [method, pathname, handler] of OPENAI_FINE_TUNING_ROUTES) registerDirectRoute(method, pathname, handler);
  stopServices = await startServices(SERVICES);
}

async function startupWork(db: Db): Promise<void> {
  await createAdminFromEnv();
  await createApiKeyFromEnv(db);
  const keys = await reencryptProviderKeys(db);
  if (keys.reencrypted) console.log(`[kindling] re-encrypted ${keys.reencrypted} provider keys with the current secret`);
  for (const name of keys.unreadable) {
    console.error(`[kindling] the API key of provider ${name} cannot be decrypted with KINDLING_SECRET or KINDLING_SECRET_PREVIOUS: add the old secret to KINDLING_SECRET_PREVIOUS, or enter the key again on Settings -> Providers`);
  }
  await initLocalProvider(db);
}

async function createAdminFromEnv(): Promise<void> {
  const { email, password } = adminFromEnv();
  if (!email && !password) return;
  if (!email || !password) {
    console.error("[kindling] set both KINDLING_ADMIN_EMAIL and KINDLING_ADMIN_PASSWORD to create the first admin; ignoring.");
    return;
  }
  const ctx = await getAuthContext();
  if ((await countUsers(ctx)) > 0) return;
  await createFirstAdmin(ctx, { name: email.split("@")[0], email, password }, null);
  console.log(`[kindling] created the first admin ${email} from KINDLING_ADMIN_EMAIL`);
}

async function createApiKeyFromEnv(db: Db): Promise<void> {
  const secretKey = initApiKey();
  if (!secretKey) return;
  try {
    const outcome = await ensureInitApiKey(db, secretKey);
    if (outcome === "created") console.log("[kindling] created the API key from KINDLING_INIT_API_KEY for the first admin");
    if (outcome === "no-admin") console.error("[kindling] KINDLING_INIT_API_KEY is set but there is no admin yet: set KINDLING_ADMIN_EMAIL and KINDLING_ADMIN_PASSWORD too");
  } catch (error) {
    console.error(`[kindling] KINDLING_INIT_API_KEY was not used: ${(error as Error).message}`);
  }
}
