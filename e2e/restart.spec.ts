import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { readLockHolder } from "@/db/data-dir-lock";
import { signIn } from "./fixtures";

// `npm start` itself (lib/start/cli.ts), on a data directory of its own: an unattended first admin,
// a second start refused, and the data still there after a stop and a start.
const PORT = 3211;
const BASE = `http://127.0.0.1:${PORT}`;
const root = process.cwd();
const dataDir = path.join(root, ".data", "e2e-restart");
const ENV_ADMIN = { email: "ops@kindling.test", password: "unattended-pass" };

function start(port: number, extraEnv: Record<string, string> = {}) {
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["lib/start/cli.ts"], {
    cwd: root,
    env: { ...process.env, KINDLING_DATA_DIR: dataDir, PORT: String(port), KINDLING_HOST: "127.0.0.1", KINDLING_PUBLIC_URL: `http://127.0.0.1:${port}`, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitHealthy(): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${BASE}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000, intervals: [250] })
    .toBe(200);
}

async function stop(proc: { child: ChildProcess; exited: Promise<number | null> }) {
  proc.child.kill("SIGTERM");
  await proc.exited;
}

test.describe.serial("npm start on one data directory", () => {
  test.beforeAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test("creates the admin from the environment, refuses a second start, keeps data across restarts", async ({ browser }) => {
    const first = start(PORT, { KINDLING_ADMIN_EMAIL: ENV_ADMIN.email, KINDLING_ADMIN_PASSWORD: ENV_ADMIN.password });
    try {
      await waitHealthy();
      const health = await (await fetch(`${BASE}/api/health`)).json();
      expect(health).toEqual({ ok: true, db: "pglite", version: expect.any(String) });

      const second = start(PORT + 1);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`Kindling is already running on the data directory ${dataDir}`);
      expect((await fetch(`${BASE}/api/health`)).status).toBe(200);

      const context = await browser.newContext({ baseURL: BASE });
      const page = await context.newPage();
      await signIn(page, ENV_ADMIN);
      await page.goto("/settings/members");
      const form = page.getByRole("form", { name: "Add a member" });
      await form.getByLabel("Name").fill("Persistent Pat");
      await form.getByLabel("Email").fill("pat@kindling.test");
      await form.getByLabel("Temporary password").fill("pat-password");
      await form.getByRole("button", { name: "Add member" }).click();
      await expect(page.getByLabel("Role of pat@kindling.test")).toHaveValue("member");
      await context.close();
    } finally {
      await stop(first);
    }
    expect(readLockHolder(dataDir)).toBeNull();

    const again = start(PORT);
    try {
      await waitHealthy();
      const context = await browser.newContext({ baseURL: BASE });
      const page = await context.newPage();
      await signIn(page, ENV_ADMIN);
      await page.goto("/settings/members");
      await expect(page.getByLabel("Role of pat@kindling.test")).toHaveValue("member");
      await expect(page.getByLabel(`Role of ${ENV_ADMIN.email}`)).toHaveValue("admin");
      await context.close();
    } finally {
      await stop(again);
    }
  });
});
