import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { writeTestModel } from "@/lib/gguf/test-model";
import { ADMIN, signIn } from "./fixtures";

// Two more engine processes, registered as OpenAI-compatible providers through the UI like any
// remote endpoint. One is then stopped: its panel must fail on its own while the others answer.
let dir = "";
const engines: ChildProcess[] = [];

async function startEngine(name: string, seed: number): Promise<{ url: string; child: ChildProcess }> {
  const file = path.join(dir, `${name}.gguf`);
  await writeTestModel(file, { seed, allowEnd: true, contextLength: 512 });
  const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["lib/engine/cli.ts", "--model", file, "--port", "0"], {
    cwd: process.cwd(),
    env: { ...process.env, KINDLING_ENGINE_WATCH_STDIN: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  engines.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const ready = out.split("\n").find((l) => l.includes('"event":"ready"'));
      if (ready) resolve(`http://127.0.0.1:${(JSON.parse(ready) as { port: number }).port}/v1`);
    });
    child.on("exit", (code) => reject(new Error(`engine ${name} exited with ${code}`)));
  });
  return { url, child };
}

async function stopEngine(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

async function registerProvider(page: Page, name: string, url: string, model: string) {
  await page.goto("/settings/providers");
  const form = page.getByRole("form", { name: "Add a provider" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Base URL").fill(url);
  await form.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByText(`Added ${name}.`)).toBeVisible();
  await page.getByRole("button", { name: `Test connection to ${name}` }).click();
  const panel = page.getByRole("region", { name: `Connection to ${name}` });
  await panel.getByRole("checkbox", { name: new RegExp(model) }).check();
  await panel.getByRole("button", { name: "Import 1 selected" }).click();
  await expect(page.getByText(`Imported 1 model from ${name}.`)).toBeVisible();
}

async function chooseModel(page: Page, n: number, name: string) {
  const select = page.getByLabel(`Model for panel ${n}`);
  await select.selectOption((await select.locator("option", { hasText: name }).first().getAttribute("value"))!);
}

test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "kindling-e2e-remote-"));
});
test.afterAll(async () => {
  for (const child of engines) await stopEngine(child);
  rmSync(dir, { recursive: true, force: true });
});

test("remote providers work like any other model, and one that is down fails in its own panel only", async ({ page }) => {
  const up = await startEngine("remote-up", 21);
  const down = await startEngine("remote-down", 22);
  await signIn(page, ADMIN);
  await registerProvider(page, "Remote up", up.url, "remote-up");
  await registerProvider(page, "Remote down", down.url, "remote-down");
  await stopEngine(down.child);

  await page.goto("/playground");
  await chooseModel(page, 1, "remote-up");
  await page.getByRole("button", { name: "Add panel" }).click();
  await chooseModel(page, 2, "remote-down");
  await page.getByRole("button", { name: "Add panel" }).click();
  await chooseModel(page, 3, "tiny-a");
  await page.getByLabel("Message").fill("Hello, everyone.");
  await page.getByLabel("Message").press("Control+Enter");

  const panel = (n: number) => page.getByRole("region", { name: `Panel ${n}` });
  await expect(panel(1).getByLabel("Answer metrics")).toBeVisible({ timeout: 60_000 });
  await expect(panel(3).getByLabel("Answer metrics")).toBeVisible({ timeout: 60_000 });
  await expect(panel(2).getByRole("alert")).toContainText("Connection refused");
  await expect(panel(2).getByLabel("Answer metrics")).toHaveCount(0);
  await expect(panel(1).getByRole("alert")).toHaveCount(0);
  await expect(panel(3).getByRole("alert")).toHaveCount(0);

  type Row = { modelName: string; providerName: string; status: string; errorMessage: string | null };
  const usage = async () => (await (await page.request.get("/api/usage?limit=20")).json()) as Row[];
  // Usage rows are written in batches about once a second.
  await expect.poll(async () => (await usage()).filter((r) => r.modelName.startsWith("remote-")).length).toBe(2);
  const rows = await usage();
  expect(rows.find((r) => r.modelName === "remote-up")).toMatchObject({ providerName: "Remote up", status: "ok" });
  expect(rows.find((r) => r.modelName === "remote-down")).toMatchObject({ providerName: "Remote down", status: "error" });
  expect(rows.find((r) => r.modelName === "remote-down")!.errorMessage).toContain("Connection refused");
});
