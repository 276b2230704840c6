// A fresh, migrated database per test file: in-memory PGlite, or a new database on the
// PostgreSQL server (TEST_DATABASE_URL) that is dropped afterwards, so parallel runs never collide.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { testDatabaseKind, testDatabaseUrl } from "@/lib/env";
import { openDatabase, type DbHandle } from "./client";

export const TEST_DATABASE_URL = testDatabaseUrl();

export function testBackend(): "pglite" | "postgres" {
  const kind = testDatabaseKind();
  if (kind !== "pglite" && kind !== "postgres") throw new Error("KINDLING_TEST_DB must be pglite or postgres (set by vitest.config.ts).");
  return kind;
}

/** Refuses anything but a local server: tests create and drop databases. */
function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Database tests refuse the non-local server ${host}; point TEST_DATABASE_URL at 127.0.0.1.`);
  }
}

export interface TestDatabase extends DbHandle {
  url?: string;
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

export async function openTestDatabase(): Promise<TestDatabase> {
  if (testBackend() === "pglite") return openDatabase({ kind: "pglite" });
  const { url, drop } = await createEmptyPostgresDatabase();
  const handle = await openDatabase({ kind: "postgres", url, max: 4 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}
