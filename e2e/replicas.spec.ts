import { rmSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { createEmptyPostgresDatabase, TEST_DATABASE_URL } from "@/db/test-postgres";
import { startConsole, waitHealthy, type ConsoleProcess } from "./console-process";

// Two consoles started at the same moment on one fresh PostgreSQL database, as two replicas behind
// a load balancer would be: both serve and exactly one first admin exists. And a console whose
// start-up fails exits non-zero instead of answering 500 to everything.
const BASE_PORT = Number(process.env.E2E_PORT || 3210) + 40;
const ADMIN = { KINDLING_ADMIN_EMAIL: "replica-admin@kindling.test", KINDLING_ADMIN_PASSWORD: "replica-pass-123" };
// Replicas share one secret, or one could not read the other's sessions and provider keys.
const SECRET = "replicas-share-this-secret-0123456789abcdef";
const dataDir = (name: string) => path.join(process.cwd(), ".data", `e2e-${name}-${BASE_PORT}`);

async function stopAll(procs: ConsoleProcess[]) {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
  return Promise.all(procs.map((p) => p.exited));
}

test("two consoles starting together on one PostgreSQL database both serve, with one admin", async () => {
  test.setTimeout(480_000);
  const { url, drop } = await createEmptyPostgresDatabase();
  const procs: ConsoleProcess[] = [];
  try {
    for (const [i, name] of ["replica-a", "replica-b"].entries()) {
      rmSync(dataDir(name), { recursive: true, force: true });
      procs.push(startConsole(BASE_PORT + i, { DATABASE_URL: url, KINDLING_DATA_DIR: dataDir(name), KINDLING_SECRET: SECRET, ...ADMIN }));
    }
    await Promise.all(procs.map((p) => waitHealthy(p)));
    for (const p of procs) {
      const health = await (await fetch(`${p.baseUrl}/api/health`)).json();
      expect(health).toMatchObject({ ok: true, db: "postgres" });
      // A page too, not only the health check: the sign-in page renders.
      expect((await fetch(`${p.baseUrl}/login`)).status).toBe(200);
    }
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const users = await sql<{ email: string; role: string }[]>`select email, role from "user"`;
      expect(users).toEqual([{ email: ADMIN.KINDLING_ADMIN_EMAIL, role: "admin" }]);
    } finally {
      await sql.end();
    }
    const exits = await stopAll(procs);
    expect(exits, procs.map((p) => p.output()).join("\n----\n")).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  } finally {
    await stopAll(procs);
    await drop();
  }
});

test("a console whose start-up fails exits non-zero instead of serving errors", async () => {
  test.setTimeout(180_000);
  // A database that does not exist: start-up fails after the HTTP server is already listening.
  const missing = new URL(TEST_DATABASE_URL);
  missing.pathname = `/kindling_missing_${Date.now().toString(36)}`;
  rmSync(dataDir("failing"), { recursive: true, force: true });
  const proc = startConsole(BASE_PORT + 2, { DATABASE_URL: missing.toString(), KINDLING_DATA_DIR: dataDir("failing"), KINDLING_SECRET: SECRET });
  try {
    const exit = await Promise.race([proc.exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 150_000))]);
    expect(exit, proc.output()).toEqual({ code: 1, signal: null });
    expect(proc.output()).toContain("does not exist");
  } finally {
    await stopAll([proc]);
  }
});
