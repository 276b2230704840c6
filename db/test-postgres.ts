// An empty database of its own on the PostgreSQL server the tests use (TEST_DATABASE_URL), dropped
// afterwards. Apart from db/test-db.ts because end-to-end specs use it too, and they cannot import
// db/client (server-only).
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { testDatabaseUrl } from "@/lib/env";

export const TEST_DATABASE_URL = testDatabaseUrl();

/** Refuses anything but a local server: tests create and drop databases. */
function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Database tests refuse the non-local server ${host}; point TEST_DATABASE_URL at 127.0.0.1.`);
  }
}

export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  assertLocal(TEST_DATABASE_URL);
  const name = `kindling_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${name}" with (force)`);
      await again.end();
    },
  };
}
