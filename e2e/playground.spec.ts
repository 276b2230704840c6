import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, callServerAction, serverActionId, signIn, VIEWER } from "./fixtures";

const run = promisify(execFile);

interface UsageRow {
  requestId: string;
  source: string;
  modelName: string;
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  totalMs: number;
  costUsd: number | null;
  status: string;
  finishReason: string | null;
  errorCode: string | null;
}

const panel = (page: Page, n: number) => page.getByRole("region", { name: `Panel ${n}` });

async function chooseModel(page: Page, n: number, name: string) {
  const select = page.getByLabel(`Model for panel ${n}`);
  const value = await select.locator("option", { hasText: name }).first().getAttribute("value");
  await select.selectOption(value!);
}

async function send(page: Page, text: string) {
  await page.getByLabel("Message").fill(text);
  await page.getByLabel("Message").press("Control+Enter");
}

async function openSettings(page: Page, n: number) {
  const toggle = page.getByRole("button", { name: `Settings for panel ${n}` });
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  return panel(page, n);
}

async function usageRows(page: Page): Promise<UsageRow[]> {
  return (await page.request.get("/api/usage?limit=50")).json();
}

test.describe.serial("playground", () => {
  test("streams an answer from the local engine; the usage row holds the numbers the page shows", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    await chooseModel(page, 1, "tiny-a");
    await send(page, "Say something.");
    const metrics = panel(page, 1).getByRole("definition").first();
    await expect(metrics).toBeVisible({ timeout: 60_000 });
    await expect(panel(page, 1).getByTestId("answer")).not.toBeEmpty();

    const shown = Object.fromEntries(
      await panel(page, 1)
        .locator("[data-metric]")
        .evaluateAll((els) => els.map((e) => [e.getAttribute("data-metric"), e.textContent])),
    ) as Record<string, string>;
    // Only this page's call: the gateway spec's calls to tiny-a are rows too (source "api").
    const ours = (r: UsageRow) => r.modelName === "tiny-a" && r.source === "playground";
    await expect.poll(async () => (await usageRows(page)).filter(ours).length).toBeGreaterThan(0);
    const row = (await usageRows(page)).find(ours)!;
    expect(row.status).toBe("ok");
    expect(shown.in).toBe(String(row.inputTokens));
    expect(shown.out).toBe(String(row.outputTokens));
    expect(shown.TTFT).toBe(`${row.ttftMs!.toFixed(0)} ms`);
    expect(shown.finish).toBe(row.finishReason);
    expect(shown.cost).toBe("$0");
    expect(row.costUsd).toBe(0);
    expect(row.outputTokens).toBeGreaterThan(0);
  });

  test("the starter model is the default local model and answers an example prompt", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    const selected = page.getByLabel("Model for panel 1").locator("option:checked");
    await expect(selected).toContainText("kindling-starter");
    const p1 = await openSettings(page, 1);
    await p1.getByLabel("Temperature value").fill("0");
    await send(page, "Extract the name, city and age as JSON: Maria is 34 and lives in Lisbon.");
    await expect(p1.getByLabel("Answer metrics")).toBeVisible({ timeout: 60_000 });
    const answer = JSON.parse((await p1.getByTestId("answer").textContent())!);
    expect(answer).toMatchObject({ name: "Maria", city: "Lisbon" });
  });

  test("stops an answer mid-stream and meters it as stopped", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    await chooseModel(page, 1, "tiny-b");
    const p1 = await openSettings(page, 1);
    await p1.getByLabel("Max tokens value").fill("3500");
    await send(page, "Write forever.");
    await expect(p1.getByTestId("answer")).not.toBeEmpty();
    await page.getByRole("button", { name: "Stop panel 1" }).click();
    await expect(p1.getByText("Stopped.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
    // This panel's row: the gateway spec, run before, leaves aborted tiny-b rows of its own (source "api",
    // FORBIDDEN for the member removed mid-stream).
    const ours = (r: UsageRow) => r.source === "playground" && r.modelName === "tiny-b" && r.status === "aborted";
    await expect.poll(async () => (await usageRows(page)).some(ours)).toBe(true);
    const stopped = (await usageRows(page)).find(ours)!;
    expect(stopped.errorCode).toBeNull();
  });

  test("compares two models side by side, and a JSON-schema answer validates", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    await chooseModel(page, 1, "tiny-a");
    await page.getByRole("button", { name: "Add panel" }).click();
    await chooseModel(page, 2, "tiny-b");
    await send(page, "Compare yourselves.");
    for (const n of [1, 2]) await expect(panel(page, n).getByLabel("Answer metrics")).toBeVisible({ timeout: 60_000 });

    await page.getByRole("button", { name: "Remove panel 2" }).click();
    await page.getByRole("button", { name: "Clear conversation" }).click();
    const p1 = await openSettings(page, 1);
    await p1.getByLabel("Response format").selectOption("json_schema");
    await p1.getByLabel("JSON schema").fill(
      JSON.stringify({
        type: "object",
        properties: { color: { enum: ["red", "green", "blue"] }, ok: { type: "boolean" } },
        required: ["color", "ok"],
        additionalProperties: false,
      }),
    );
    await send(page, "Pick a color.");
    await expect(p1.getByTestId("structured-check")).toHaveText("✓ Valid JSON that matches the requested format", { timeout: 60_000 });
    const answer = JSON.parse((await p1.getByTestId("answer").textContent())!);
    expect(["red", "green", "blue"]).toContain(answer.color);
  });

  test("view code gives a curl command that works through the gateway with KINDLING_API_KEY", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/settings/api-keys");
    await page.getByRole("form", { name: "Create a key" }).getByLabel("Name").fill("view code");
    await page.getByRole("button", { name: "Create key" }).click();
    const apiKey = (await page.getByTestId("new-key-secret").textContent())!.trim();
    await page.goto("/playground");
    await chooseModel(page, 1, "tiny-a");
    await page.getByLabel("Message").fill("Hello from curl");
    await page.getByRole("button", { name: "View code for panel 1" }).click();
    const dialog = page.getByRole("dialog", { name: "View code" });
    await expect(dialog.getByTestId("code")).toContainText(`${new URL(page.url()).origin}/v1/chat/completions`);
    const curl = (await dialog.getByTestId("code").textContent())!;
    expect(curl).toContain("$KINDLING_API_KEY");
    expect(curl).toContain('"model": "tiny-a"');
    expect(curl).toContain("Hello from curl");
    const { stdout } = await run("bash", ["-c", curl], { env: { ...process.env, KINDLING_API_KEY: apiKey }, timeout: 60_000 });
    expect(stdout).toContain('"object":"chat.completion.chunk"');
    expect(stdout.trim().endsWith("data: [DONE]")).toBe(true);

    await dialog.getByRole("tab", { name: "Python" }).click();
    await expect(dialog.getByTestId("code")).toContainText('api_key=os.environ["KINDLING_API_KEY"]');
    await dialog.getByRole("tab", { name: "TypeScript" }).click();
    await expect(dialog.getByTestId("code")).toContainText(`apiKey: process.env["KINDLING_API_KEY"]`);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });

  test("a saved prompt loads back; a viewer can load it but not save or run", async ({ page, browser }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    await page.getByLabel("System prompt").fill("You answer in one line.");
    await page.getByRole("button", { name: "Add panel" }).click();
    await chooseModel(page, 2, "tiny-b");
    await send(page, "First question");
    for (const n of [1, 2]) await expect(panel(page, n).getByLabel("Answer metrics")).toBeVisible({ timeout: 60_000 });
    await page.getByRole("button", { name: "Save as…" }).click();
    await page.getByLabel("Name for the saved prompt").fill("Two-panel check");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Saved “Two-panel check” for the team.")).toBeVisible();

    await page.reload();
    await expect(page.getByLabel("System prompt")).toHaveValue("");
    await page.getByLabel("Load a saved prompt").selectOption({ label: `Two-panel check — ${ADMIN.email}` });
    await expect(page.getByLabel("System prompt")).toHaveValue("You answer in one line.");
    await expect(panel(page, 2)).toBeVisible();
    await expect(panel(page, 1).getByText("First question")).toBeVisible();

    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await signIn(viewer, VIEWER);
    await viewer.goto("/playground");
    await viewer.getByLabel("Load a saved prompt").selectOption({ label: `Two-panel check — ${ADMIN.email}` });
    await expect(viewer.getByLabel("System prompt")).toHaveValue("You answer in one line.");
    await expect(viewer.getByRole("button", { name: "Save as…" })).toHaveCount(0);
    await expect(viewer.getByLabel("Message")).toBeDisabled();
    const models = await viewer.getByLabel("Model for panel 1").locator("option").first().getAttribute("value");
    const direct = await viewer.request.post("/api/playground/chat", { headers: { origin: new URL(viewer.url()).origin }, data: { modelId: models, messages: [{ role: "user", content: "hi" }] } });
    expect(direct.status()).toBe(403);
    const save = await callServerAction(viewer.request, "/playground", serverActionId("app/(console)/playground/actions.ts", "savePromptAction"), [
      { name: "sneaky", data: { version: 1, systemPrompt: "", syncSettings: false, panels: [{ modelId: models, params: {}, messages: [] }] } },
    ]);
    expect(save.body).toContain('{"ok":false,"code":"FORBIDDEN"');
    await viewerContext.close();
  });

  test("bad input gets a clear message in its panel", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    await chooseModel(page, 1, "tiny-a");

    // A prompt longer than the model's context (512 tokens).
    await send(page, "x ".repeat(1500));
    await expect(panel(page, 1).getByRole("alert")).toContainText(/context/i, { timeout: 60_000 });

    // JSON that does not parse is caught with its line before anything is sent.
    const p1 = await openSettings(page, 1);
    await p1.getByLabel("Response format").selectOption("json_schema");
    await p1.getByLabel("JSON schema").fill('{\n  "type": "object",\n  oops\n}');
    await expect(p1.getByText(/JSON schema, line 3, column \d+: not valid JSON/)).toBeVisible();
    await send(page, "hello");
    await expect(page.getByRole("status").filter({ hasText: "Panel 1 has a settings error" }).or(page.getByRole("alert").filter({ hasText: "Panel 1 has a settings error" }))).toBeVisible();

    // A schema that parses but is not a JSON schema is refused by the server, named by its field.
    await p1.getByLabel("JSON schema").fill('{"type": "nonsense"}');
    await send(page, "hello");
    await expect(p1.getByRole("alert").last()).toContainText("params.response_format.json_schema.schema");

    // Unknown model and invalid parameters, through the API itself.
    const unknown = await page.request.post("/api/playground/chat", { headers: { origin: new URL(page.url()).origin }, data: { modelId: "no-such-model", messages: [{ role: "user", content: "hi" }] } });
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error.message).toContain("does not exist");
    const modelId = await page.getByLabel("Model for panel 1").inputValue();
    const bad = await page.request.post("/api/playground/chat", { headers: { origin: new URL(page.url()).origin }, data: { modelId, messages: [{ role: "user", content: "hi" }], params: { temperature: 9 } } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^params\.temperature: /);
  });
});
