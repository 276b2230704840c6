import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PGlite } from "@electric-sql/pglite";
import { readLockHolder } from "@/db/data-dir-lock";
import { writeTestModel } from "@/lib/gguf/test-model";
import { startConsole, waitHealthy } from "./console-process";
import { signIn } from "./fixtures";

// SIGTERM to `npm start` once a local model has answered: the one ordered shutdown writes every
// queued usage row, stops the engine, closes the database and frees the data directory.
const PORT = Number(process.env.E2E_PORT || 3210) + 30;
const dataDir = path.join(process.cwd(), ".data", `e2e-shutdown-${PORT}`);
const ADMIN = { email: "sigterm@kindling.test", password: "sigterm-pass-123" };
const CALLS = 6;

test("SIGTERM after a local model answered writes every usage row and releases the lock", async ({ browser }) => {
  test.setTimeout(420_000);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(path.join(dataDir, "models"), { recursive: true });
  await writeTestModel(path.join(dataDir, "models", "tiny-a.gguf"), { seed: 1, allowEnd: true, contextLength: 512 });
  const proc = startConsole(PORT, { KINDLING_DATA_DIR: dataDir, KINDLING_ADMIN_EMAIL: ADMIN.email, KINDLING_ADMIN_PASSWORD: ADMIN.password });
  let stopped = false;
  try {
    await waitHealthy(proc);
    const context = await browser.newContext({ baseURL: proc.baseUrl });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    const models = (await (await page.request.get("/api/models")).json()) as { id: string; name: string }[];
    const model = models.find((m) => m.name === "tiny-a");
    expect(model).toBeDefined();
    for (let i = 0; i < CALLS; i++) {
      const response = await page.request.post("/api/playground/chat", {
        headers: { Origin: proc.baseUrl },
        data: { modelId: model!.id, messages: [{ role: "user", content: `call ${i}` }], params: { max_tokens: 8, temperature: 0 } },
      });
      expect(response.status()).toBe(200);
      expect(await response.text()).toContain('"type":"done"');
    }
    await context.close();

    // At once: the queue writes every second, so the last rows are still in memory now.
    proc.child.kill("SIGTERM");
    const exit = await proc.exited;
    stopped = true;
    expect(exit, proc.output()).toEqual({ code: 0, signal: null });
    expect(readLockHolder(dataDir)).toBeNull();

    // The console has exited, so this process may open its embedded database (db/client is server-only).
    const pg = new PGlite(path.join(dataDir, "pglite"));
    try {
      const { rows } = await pg.query<{ n: number }>("select count(*)::int as n from usage_events where model_name = 'tiny-a' and status = 'ok'");
      expect(rows[0].n).toBe(CALLS);
    } finally {
      await pg.close();
    }
  } finally {
    if (!stopped) {
      proc.child.kill("SIGKILL");
      await proc.exited;
    }
  }
});
