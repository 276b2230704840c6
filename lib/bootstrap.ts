// What the console does once at server start, before it serves: open and migrate the database,
// make sure the secret exists, create the first admin from the environment when asked to,
// re-encrypt provider keys after a secret rotation, and register the local engine's models.
import { closeDatabase, initDatabase, type Db } from "@/db/client";
import { DataDirLockedError } from "@/db/data-dir-lock";
import { getAuthContext } from "@/lib/auth/auth";
import { countUsers, createFirstAdmin } from "@/lib/auth/accounts";
import { secret } from "@/lib/env";
import { registerDirectRoute } from "@/lib/http/direct-routes";
import { evalRunnerService } from "@/lib/evals/runner-service";
import { usageRollupService } from "@/lib/metering/rollup-service";
import { getUsageQueue } from "@/lib/metering/usage";
import { handlePlaygroundChat, PLAYGROUND_CHAT_PATH } from "@/lib/playground/chat-http";
import { reencryptProviderKeys } from "@/lib/providers/crypto";
import { initLocalProvider, stopLocalEngines } from "@/lib/providers/local";

export async function startConsole(): Promise<void> {
  secret();
  let db: Db;
  try {
    const handle = await initDatabase();
    db = handle.db;
    console.log(`[kindling] database ready (${handle.kind})`);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`[kindling] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  await createAdminFromEnv();
  const keys = await reencryptProviderKeys(db);
  if (keys.reencrypted) console.log(`[kindling] re-encrypted ${keys.reencrypted} provider keys with the current secret`);
  for (const name of keys.unreadable) {
    console.error(`[kindling] the API key of provider ${name} cannot be decrypted with KINDLING_SECRET or KINDLING_SECRET_PREVIOUS: add the old secret to KINDLING_SECRET_PREVIOUS, or enter the key again on Settings -> Providers`);
  }
  await initLocalProvider(db);
  registerDirectRoute("POST", PLAYGROUND_CHAT_PATH, handlePlaygroundChat);
  await usageRollupService.start();
  await evalRunnerService.start();
  registerShutdown();
}

async function createAdminFromEnv(): Promise<void> {
  const email = process.env.KINDLING_ADMIN_EMAIL;
  const password = process.env.KINDLING_ADMIN_PASSWORD;
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

function registerShutdown(): void {
  const g = globalThis as unknown as { __kindlingShutdown?: boolean };
  if (g.__kindlingShutdown) return;
  g.__kindlingShutdown = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      // Usage rows still queued are written before the database closes; engines stop with us.
      Promise.allSettled([evalRunnerService.stop(), usageRollupService.stop(), getUsageQueue().close(), stopLocalEngines()])
        .then(() => closeDatabase())
        .catch((error) => console.error("[kindling] closing the database failed", error))
        .finally(() => process.exit(0));
    });
  }
}
