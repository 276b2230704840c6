import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, callServerAction, serverActionId, signIn } from "./fixtures";

// Issue 8's attacks from a browser: a page on another port of the same host, model output that
// carries an image URL, headers, and input the database would refuse. The other sites are small
// HTTP servers started here (a boundary we cannot otherwise reach).
const servers: Server[] = [];

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** CSP reports Chromium prints to the console, for pages that must work under the policy. */
function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test.describe.serial("security", () => {
  test("every response carries the CSP, frame, sniffing and referrer headers; the pages work under them", async ({ page, request }) => {
    const violations = collectCspViolations(page);
    const expectHeaders = (headers: Record<string, string>, what: string) => {
      expect(headers["content-security-policy"], what).toMatch(/frame-ancestors 'none'/);
      expect(headers["content-security-policy"], what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(headers["content-security-policy"], what).toMatch(/img-src 'self' data: blob:/);
      expect(headers["x-frame-options"], what).toBe("DENY");
      expect(headers["x-content-type-options"], what).toBe("nosniff");
      expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
    };
    expectHeaders((await request.get("/login")).headers(), "a page");
    expectHeaders((await request.get("/api/health")).headers(), "a route handler");
    expectHeaders((await request.get("/icon.svg")).headers(), "a static file");
    expectHeaders((await request.post("/api/playground/chat", { data: {} })).headers(), "the playground stream (answered without Next)");
    const one = (await request.get("/login")).headers()["content-security-policy"];
    const two = (await request.get("/login")).headers()["content-security-policy"];
    expect(one).not.toBe(two); // a fresh nonce per response

    await signIn(page, ADMIN);
    for (const path of ["/playground", "/models", "/settings/providers", "/settings/members", "/settings/audit"]) {
      await page.goto(path);
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    }
    // Client-side navigation needs the page's scripts to have run under the policy.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
    await expect(page).toHaveURL(/\/playground$/);
    await expect(page.getByLabel("Message")).toBeEditable();
    expect(violations).toEqual([]);
  });

  test("a page on another port of the same host cannot run a playground call as the signed-in member", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    const modelId = await page.getByLabel("Model for panel 1").inputValue();
    const consoleOrigin = new URL(page.url()).origin;
    const before = ((await (await page.request.get("/api/usage?limit=500")).json()) as unknown[]).length;
    const body = JSON.stringify({ modelId, messages: [{ role: "user", content: "paid call" }] });
    const attacker = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>attacker</title>
<form id="f" method="POST" action="${consoleOrigin}/api/playground/chat" enctype="text/plain" target="sink"><input name='${body.slice(0, -1)}' value='}'></form>
<iframe name="sink"></iframe>
<script>
  fetch(${JSON.stringify(`${consoleOrigin}/api/playground/chat`)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: ${JSON.stringify(body)} });
</script>`);
    });
    const fetched = page.waitForResponse((r) => r.url() === `${consoleOrigin}/api/playground/chat` && r.request().resourceType() === "fetch");
    await page.goto(attacker);
    const response = await fetched;
    expect(response.status()).toBe(403);
    const posted = page.waitForResponse((r) => r.url() === `${consoleOrigin}/api/playground/chat` && r.request().resourceType() !== "fetch");
    await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit());
    expect((await posted).status()).toBe(403);

    await page.goto("/playground");
    const after = ((await (await page.request.get("/api/usage?limit=500")).json()) as unknown[]).length;
    expect(after).toBe(before);
  });

  test("an image in model output is a link, and its URL is never fetched", async ({ page }) => {
    const leaks: string[] = [];
    const collector = await listen((req, res) => {
      leaks.push(req.url ?? "");
      res.writeHead(200, { "content-type": "image/png" });
      res.end();
    });
    const answer = `Here is the chart: ![conversation chart](${collector}/leak.png?c=the+secret+plan) and a [link](${collector}/page).`;
    const provider = await listen((req, res) => {
      if (req.url?.endsWith("/models")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "echo-images", object: "model", owned_by: "test" }] }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.end(chunk({ role: "assistant", content: answer }) + chunk({}, "stop") + "data: [DONE]\n\n");
    });

    await signIn(page, ADMIN);
    await page.goto("/settings/providers");
    const form = page.getByRole("form", { name: "Add a provider" });
    await form.getByLabel("Name").fill("Image echo");
    await form.getByLabel("Base URL").fill(`${provider}/v1`);
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(page.getByText("Added Image echo.")).toBeVisible();
    await page.getByRole("button", { name: "Test connection to Image echo" }).click();
    const connection = page.getByRole("region", { name: "Connection to Image echo" });
    await connection.getByRole("checkbox", { name: /echo-images/ }).check();
    await connection.getByRole("button", { name: "Import 1 selected" }).click();
    await expect(page.getByText("Imported 1 model from Image echo.")).toBeVisible();

    await page.goto("/playground");
    const select = page.getByLabel("Model for panel 1");
    await select.selectOption((await select.locator("option", { hasText: "echo-images" }).first().getAttribute("value"))!);
    await page.getByLabel("Message").fill("Show me the chart");
    await page.getByLabel("Message").press("Control+Enter");
    const link = page.getByRole("link", { name: "Image: conversation chart" });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute("href", `${collector}/leak.png?c=the+secret+plan`);
    await expect(page.locator("img[src*='leak.png']")).toHaveCount(0);
    for (const colorScheme of ["light", "dark"] as const) {
      for (const width of [1440, 390]) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width, height: 900 });
        await expect(link).toBeVisible();
        await page.screenshot({ path: `test-results/security-image-as-link-${colorScheme}-${width}.png` });
      }
    }
    expect(leaks).toEqual([]);
  });

  test("NUL characters and a non-integer `before` are validation errors, not server errors", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/playground");
    const origin = new URL(page.url()).origin;
    for (const before of ["1.5", "abc", "-3", "1e400"]) {
      const response = await page.request.get(`/api/audit?before=${before}`);
      expect(response.status(), `before=${before}`).toBe(400);
      expect((await response.json()).error.message).toMatch(/^before/);
    }
    expect((await page.request.get("/api/audit?before=999999")).status()).toBe(200);
    expect((await page.request.get("/api/usage?limit=2.5")).status()).toBe(400);

    const modelId = await page.getByLabel("Model for panel 1").inputValue();
    const chat = await page.request.post("/api/playground/chat", {
      headers: { origin },
      data: { modelId, messages: [{ role: "user", content: "hello\u0000world" }] },
    });
    expect(chat.status()).toBe(400);
    expect((await chat.json()).error.message).toBe("messages.0.content: must not contain the NUL character (\\u0000).");
    const nulModel = await page.request.post("/api/playground/chat", { headers: { origin }, data: { modelId: "m\u0000", messages: [{ role: "user", content: "hi" }] } });
    expect(nulModel.status()).toBe(400);

    expect((await page.request.get("/api/playground/saved-prompts/%00")).status()).toBe(400);
    expect((await page.request.get(`/api/playground/endpoint?modelId=${encodeURIComponent("x\u0000")}`)).status()).toBe(400);

    const created = await callServerAction(page.request, "/settings/providers", serverActionId("app/(console)/settings/providers/actions.ts", "createProviderAction"), [
      { name: "Bad\u0000name", baseUrl: "http://127.0.0.1:9/v1", apiKey: "" },
    ]);
    expect(created.body).toContain('"code":"VALIDATION"');
    expect(created.body).toContain("name: must not contain the NUL character");
  });
});
