import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { writeTestModel } from "@/lib/gguf/test-model";
import { ADMIN, callServerAction, serverActionId, signIn, VIEWER } from "./fixtures";

// A second engine process, registered through the UI as an OpenAI-compatible provider, like any
// remote endpoint. Runs after accounts.spec.ts, which creates ADMIN and VIEWER.
const KEY = "sk-e2e-provider-key-7f3Q";
const REMOTE_MODEL = "e2e-remote";
let engine: ChildProcess | undefined;
let engineUrl = "";
let modelDir = "";

async function expectNoA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

test.beforeAll(async () => {
  modelDir = mkdtempSync(path.join(tmpdir(), "kindling-e2e-provider-"));
  const file = path.join(modelDir, `${REMOTE_MODEL}.gguf`);
  await writeTestModel(file, { seed: 11, allowEnd: true, contextLength: 768 });
  const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
  // The engine exits when its stdin closes, so it cannot outlive this test process.
  engine = spawn(tsx, ["lib/engine/cli.ts", "--model", file, "--port", "0", "--threads", "1"], {
    cwd: process.cwd(),
    env: { ...process.env, KINDLING_ENGINE_WATCH_STDIN: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  engineUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    engine!.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      // Only complete lines: the last piece may still be arriving.
      for (const line of out.split("\n").slice(0, -1)) {
        if (!line.startsWith("{")) continue;
        const event = JSON.parse(line) as { event: string; port?: number; error?: string };
        if (event.event === "ready") resolve(`http://127.0.0.1:${event.port}/v1`);
        if (event.event === "failed") reject(new Error(event.error));
      }
    });
    engine!.on("exit", (code) => reject(new Error(`engine exited with ${code}`)));
  });
});

test.afterAll(async () => {
  if (engine && engine.exitCode === null) {
    const exited = new Promise((r) => engine!.once("exit", r));
    engine.kill("SIGTERM");
    await exited;
  }
  if (modelDir) rmSync(modelDir, { recursive: true, force: true });
});

test.describe.serial("providers and models", () => {
  test("an admin registers a second engine as a provider, tests it, imports a model and prices it", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/settings");
    await page.getByRole("link", { name: /Providers/ }).click();
    await expect(page.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Local engine" })).toContainText("local engine");
    await expectNoA11yViolations(page);

    const form = page.getByRole("form", { name: "Add a provider" });
    // The metadata address is refused on the field, before anything is stored.
    await form.getByLabel("Name").fill("Metadata");
    await form.getByLabel("Base URL").fill("http://169.254.169.254/latest");
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(form.getByText(/link-local address/)).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Metadata" })).toHaveCount(0);

    await form.getByLabel("Name").fill("Second engine");
    await form.getByLabel("Base URL").fill(engineUrl);
    await form.getByLabel("API key").fill(KEY);
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(page.getByText("Added Second engine.")).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "Second engine" });
    await expect(row).toContainText(engineUrl);
    await expect(row).toContainText("…7f3Q");
    // The key is never sent back: not in the page, not in the read route.
    expect(await page.content()).not.toContain(KEY);
    expect(await (await page.request.get("/api/providers")).text()).not.toContain(KEY);

    await page.getByRole("button", { name: "Test connection to Second engine" }).click();
    const panel = page.getByRole("region", { name: "Connection to Second engine" });
    await expect(panel.getByText(/Connected in \d+ ms/)).toBeVisible();
    await panel.getByRole("checkbox", { name: new RegExp(REMOTE_MODEL) }).check();
    await panel.getByRole("button", { name: "Import 1 selected" }).click();
    await expect(page.getByText("Imported 1 model from Second engine.")).toBeVisible();
    await expect(panel.getByText("already imported")).toBeVisible();
    await expect(row.getByRole("cell").nth(4)).toHaveText("1");
    await expectNoA11yViolations(page);

    // A provider that is down says so, by name, with the reason.
    await form.getByLabel("Name").fill("Down provider");
    await form.getByLabel("Base URL").fill(`http://127.0.0.1:${await closedPort()}/v1`);
    await form.getByLabel("API key").fill("");
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(page.getByText("Added Down provider.")).toBeVisible();
    await page.getByRole("button", { name: "Test connection to Down provider" }).click();
    const down = page.getByRole("region", { name: "Connection to Down provider" });
    await expect(down.getByRole("alert")).toContainText("The provider could not be reached");
    await expect(down.getByRole("alert")).toContainText("Connection refused");

    // Prices: none at import, then two versions; the table shows the current one.
    await page.goto("/models");
    const modelRow = page.getByRole("row").filter({ hasText: REMOTE_MODEL });
    await expect(modelRow).toContainText("Second engine");
    // The engine's model list does not carry a context length: unknown until an admin sets it.
    await expect(modelRow).toContainText("unknown");
    await expect(modelRow).toContainText("no price set");
    await expect(page.getByRole("row").filter({ hasText: "tiny-a" })).toContainText("$0");
    await modelRow.getByRole("button", { name: `Edit ${REMOTE_MODEL}` }).click();
    const priceForm = page.getByRole("form", { name: `Price of ${REMOTE_MODEL}` });
    await priceForm.getByLabel("Input").fill("-1");
    await priceForm.getByRole("button", { name: "Save price" }).click();
    await expect(priceForm.getByText("A price cannot be negative.")).toBeVisible();
    await priceForm.getByLabel("Input").fill("0.5");
    await priceForm.getByLabel("Output").fill("1.5");
    await priceForm.getByRole("button", { name: "Save price" }).click();
    await expect(page.getByText(`New price for ${REMOTE_MODEL} saved`)).toBeVisible();
    await expect(modelRow).toContainText("$0.50");
    await expect(modelRow).toContainText("$1.50");
    await priceForm.getByLabel("Input").fill("0.25");
    await priceForm.getByLabel("Output").fill("2");
    await priceForm.getByRole("button", { name: "Save price" }).click();
    await expect(modelRow).toContainText("$0.25");
    const history = page.getByRole("region", { name: `Price history of ${REMOTE_MODEL}` });
    await expect(history.getByRole("listitem")).toHaveCount(2);
    await expect(history.getByRole("listitem").first()).toContainText("$0.25 in · $2 out");
    await expect(history.getByRole("listitem").nth(1)).toContainText("$0.50 in · $1.50 out");

    const details = page.getByRole("form", { name: `Details of ${REMOTE_MODEL}` });
    await details.getByLabel("Tags").fill("fast, reasoning");
    await details.getByLabel("Context length (tokens)").fill("768");
    await details.getByRole("button", { name: "Save details" }).click();
    await expect(page.getByText(`Saved ${REMOTE_MODEL}.`)).toBeVisible();
    await expect(modelRow.getByText("reasoning", { exact: true })).toBeVisible();
    await expect(modelRow).toContainText("768");
    await expectNoA11yViolations(page);

    await page.goto("/settings/audit");
    await expect(page.getByRole("row").filter({ hasText: "Changed a price" }).first()).toContainText("$0.5 / $1.5 → $0.25 / $2");
    await expect(page.getByRole("row").filter({ hasText: "Added a provider" }).filter({ hasText: "Second engine" })).toHaveCount(1);
    expect(await page.content()).not.toContain(KEY);
  });

  test("a viewer reads the catalogue but cannot reach providers or change a price", async ({ page }) => {
    await signIn(page, VIEWER);
    await page.goto("/settings/providers");
    await expect(page.getByRole("heading", { name: "You don't have access to that page" })).toBeVisible();
    expect((await page.request.get("/api/providers")).status()).toBe(403);

    await page.goto("/models");
    const modelRow = page.getByRole("row").filter({ hasText: REMOTE_MODEL });
    await expect(modelRow).toContainText("$0.25");
    await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
    await expect(page.getByRole("switch")).toHaveCount(0);

    const models = (await (await page.request.get("/api/models")).json()) as Array<{ id: string; name: string }>;
    const modelId = models.find((m) => m.name === REMOTE_MODEL)!.id;
    const changePrice = serverActionId("app/(console)/models/actions.ts", "changePriceAction");
    const call = await callServerAction(page.request, "/models", changePrice, [{ modelId, inputPerMillion: 0, outputPerMillion: 0 }]);
    expect(call.body).toContain('{"ok":false,"code":"FORBIDDEN"');
    const addProvider = serverActionId("app/(console)/settings/providers/actions.ts", "createProviderAction");
    const add = await callServerAction(page.request, "/settings/providers", addProvider, [{ name: "Sneaky", baseUrl: "http://127.0.0.1:1/v1" }]);
    expect(add.body).toContain('{"ok":false,"code":"FORBIDDEN"');

    await page.reload();
    await expect(modelRow).toContainText("$0.25");
  });

  test("both pages read well in light and dark themes (screenshots kept with the test results)", async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await signIn(page, ADMIN);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/settings/providers");
      await page.getByRole("button", { name: "Test connection to Second engine" }).click();
      await expect(page.getByRole("region", { name: "Connection to Second engine" }).getByText(/Connected in/)).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(scheme === "dark");
      await expectNoA11yViolations(page);
      await page.screenshot({ path: testInfo.outputPath(`providers-${scheme}.png`), fullPage: true });

      await page.goto("/models");
      await page.getByRole("button", { name: `Edit ${REMOTE_MODEL}` }).click();
      await expect(page.getByRole("region", { name: `Price history of ${REMOTE_MODEL}` }).getByRole("listitem")).toHaveCount(2);
      await expectNoA11yViolations(page);
      await page.screenshot({ path: testInfo.outputPath(`models-${scheme}.png`), fullPage: true });
    }
  });
});
