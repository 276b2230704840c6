import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createEmptyPostgresDatabase, testBackend } from "@/db/test-db";
import { openDatabase } from "./client";
import { DataDirLockedError } from "./data-dir-lock";
import { auditLog } from "./schema";

// Creating a PGlite directory runs initdb in WASM: about 5 s on a quiet machine, a minute on a busy one.
const INITDB_TIMEOUT = 180_000;

describe.runIf(testBackend() === "pglite")("embedded PGlite data directory", { timeout: INITDB_TIMEOUT }, () => {
  it("keeps committed rows across a close and reopen", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kindling-pglite-"));
    try {
      const first = await openDatabase({ kind: "pglite", dir });
      await first.db.insert(auditLog).values({ action: "auth.setup", target: "persist@example.test" });
      await first.close();
      const second = await openDatabase({ kind: "pglite", dir });
      const rows = await second.db.select().from(auditLog);
      expect(rows.map((r) => r.target)).toEqual(["persist@example.test"]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a second opener of the same directory and leaves the first working", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kindling-pglite-"));
    try {
      const first = await openDatabase({ kind: "pglite", dir });
      // Same process, so use another pid's view: the lock holder is alive, the second open must fail.
      await expect(openDatabase({ kind: "pglite", dir })).rejects.toBeInstanceOf(DataDirLockedError);
      await first.db.insert(auditLog).values({ action: "auth.setup", target: "still@example.test" });
      expect(await first.db.select().from(auditLog)).toHaveLength(1);
      await first.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every path under `dir` (itself included) whose mode lets group or others in, with that mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const st = lstatSync(p);
    if ((st.mode & 0o077) !== 0) found.push(`${path.relative(dir, p) || "."} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
  return found;
}

describe.runIf(testBackend() === "pglite")("embedded data directory permissions", { timeout: INITDB_TIMEOUT }, () => {
  it("keeps the directory 0700 and every file private even under umask 000, and fixes files left open", () => {
    const parent = mkdtempSync(path.join(tmpdir(), "kindling-perm-"));
    const dir = path.join(parent, "data");
    try {
      // A directory an older version left world-readable, with a file in it.
      mkdirSync(dir, { mode: 0o777 });
      chmodSync(dir, 0o777);
      writeFileSync(path.join(dir, "secret"), "x", { mode: 0o666 });
      chmodSync(path.join(dir, "secret"), 0o666);
      const script = path.join(import.meta.dirname, "fixtures", "write-data-dir.ts");
      const run = spawnSync("sh", ["-c", `umask 000 && exec "${process.execPath}" --conditions=react-server --import tsx "${script}" "${dir}"`], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.stdout.trim()).toBe("written");
      expect(readdirSync(path.join(dir, "pglite")).length).toBeGreaterThan(5);
      expect(openToOthers(dir)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe.runIf(testBackend() === "postgres")("migrations on a PostgreSQL server", () => {
  it("two instances starting together migrate once, without racing", async () => {
    const { url, drop } = await createEmptyPostgresDatabase();
    try {
      const [a, b, c] = await Promise.all([
        openDatabase({ kind: "postgres", url, max: 2 }),
        openDatabase({ kind: "postgres", url, max: 2 }),
        openDatabase({ kind: "postgres", url, max: 2 }),
      ]);
      const applied = await a.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      const rows = (Array.isArray(applied) ? applied : (applied as { rows: unknown[] }).rows) as Array<{ n: number }>;
      const { readdirSync } = await import("node:fs");
      const files = readdirSync(path.join(process.cwd(), "db", "migrations")).filter((f) => f.endsWith(".sql"));
      expect(rows[0].n).toBe(files.length);
      await b.db.insert(auditLog).values({ action: "auth.setup" });
      expect(await c.db.select().from(auditLog)).toHaveLength(1);
      await Promise.all([a.close(), b.close(), c.close()]);
    } finally {
      await drop();
    }
  });
});
