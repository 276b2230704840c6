// A fresh, migrated database per test file: in-memory PGlite, or a new database on the
// PostgreSQL server (TEST_DATABASE_URL) that is dropped afterwards, so parallel runs never collide.
import { testDatabaseKind } from "@/lib/env";
import { openDatabase, type DbHandle } from "./client";
import { createEmptyPostgresDatabase } from "./test-postgres";

export { createEmptyPostgresDatabase, TEST_DATABASE_URL } from "./test-postgres";

export function testBackend(): "pglite" | "postgres" {
  const kind = testDatabaseKind();
  if (kind !== "pglite" && kind !== "postgres") throw new Error("KINDLING_TEST_DB must be pglite or postgres (set by vitest.config.ts).");
  return kind;
}

export interface TestDatabase extends DbHandle {
  url?: string;
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
