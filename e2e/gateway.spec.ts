import { execFile, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import Ajv from "ajv";
import OpenAI from "openai";
import { ADMIN, callServerAction, serverActionId, signIn, signInAsAdmin } from "./fixtures";
import { client, createKey, errorOf } from "./openai-client";

// The official `openai` TypeScript client against the console's /v1 gateway, with keys made on
// /settings/api-keys. A loopback stub plays a remote provider that fails (500 with a secret in its
// body) or never answers, for the 502 and 504 cases.
const STUB_PORT = 3590;
const LEAK = "sk-LEAKED-upstream-secret-123";
let stub: Server;

interface UsageRow {
  requestId: string;
  source: string;
  apiKeyId: string | null;
  modelName: string;
  inputTokens: number | null;
  outputTokens: number | null;
  status: string;
  errorCode: string | null;
}

async function usageRows(page: Page): Promise<UsageRow[]> {
  return (await page.request.get("/api/usage?limit=200")).json();
}

test.beforeAll(async () => {
  stub = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "flaky", object: "model" }, { id: "silent", object: "model" }] }));
      return;
    }
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (JSON.parse(body).model === "flaky") {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `internal failure, key ${LEAK}` } }));
      }
      // "silent" never answers.
    });
  });
  await new Promise<void>((resolve) => stub.listen(STUB_PORT, "127.0.0.1", resolve));
});
test.afterAll(async () => {
  stub.closeAllConnections();
  await new Promise((resolve) => stub.close(resolve));
});

test.describe.serial("the OpenAI-compatible gateway", () => {
  // Generous: every step is real (first-run setup, engine starts, a 15 s first-token timeout).
  test.describe.configure({ timeout: 240_000 });
  let secret = "";

  test("a member creates a key on Settings -> API keys; the secret is shown once", async ({ page }) => {
    await signInAsAdmin(page);
    secret = await createKey(page, "e2e client");
    await expect(page.getByRole("region", { name: "New API key" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("cell", { name: "e2e client", exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: `${secret.slice(0, 12)}…` })).toBeVisible();
    expect(await page.content()).not.toContain(secret.slice(12));
    const listed = await (await page.request.get("/api/api-keys")).text();
    expect(listed).not.toContain(secret.slice(12));
    const audit = await (await page.request.get("/api/audit")).text();
    expect(audit).toContain("api_key.create");
    expect(audit).not.toContain(secret.slice(12));
  });

  test("lists models, answers plain and streamed chats, and the usage rows equal what the client counted", async ({ page }) => {
    await signIn(page, ADMIN);
    const openai = client(page, secret);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(["tiny-a", "tiny-b"]));

    const plain = await openai.chat.completions.create({ model: "tiny-a", messages: [{ role: "user", content: "Hello" }], max_tokens: 12, seed: 7, stop: ["\n\n"] });
    expect(plain.object).toBe("chat.completion");
    expect(plain.choices[0].message.role).toBe("assistant");
    expect(plain.usage!.completion_tokens).toBeGreaterThan(0);

    const stream = await openai.chat.completions.create({
      model: "tiny-a",
      messages: [{ role: "user", content: "Stream please" }],
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toMatch(/stop|length/);
    expect(usage!.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens);

    const idOf = (id: string) => id.replace(/^chatcmpl-/, "");
    await expect.poll(async () => (await usageRows(page)).filter((r) => r.requestId === idOf(plain.id)).length).toBe(1);
    const rows = await usageRows(page);
    const plainRow = rows.find((r) => r.requestId === idOf(plain.id))!;
    expect(plainRow).toMatchObject({ source: "api", status: "ok", inputTokens: plain.usage!.prompt_tokens, outputTokens: plain.usage!.completion_tokens });
    expect(plainRow.apiKeyId).toBeTruthy();
    const streamRow = rows.find((r) => r.source === "api" && r.requestId !== plainRow.requestId && r.outputTokens === usage!.completion_tokens);
    expect(streamRow).toMatchObject({ inputTokens: usage!.prompt_tokens, apiKeyId: plainRow.apiKeyId });
  });

  test("a json_schema answer validates against its schema, integer bounds included", async ({ page }) => {
    await signIn(page, ADMIN);
    const openai = client(page, secret);
    const schema = {
      type: "object",
      properties: { count: { type: "integer", minimum: 0, maximum: 99 }, label: { type: "string", maxLength: 8 } },
      required: ["count", "label"],
      additionalProperties: false,
    };
    const structured = await openai.chat.completions.create({
      model: "kindling-starter",
      messages: [{ role: "user", content: "Count something." }],
      max_tokens: 200,
      response_format: { type: "json_schema", json_schema: { name: "counted", schema, strict: true } },
    });
    if (structured.choices[0].finish_reason !== "length") {
      const value = JSON.parse(structured.choices[0].message.content!);
      expect(new Ajv().validate(schema, value), JSON.stringify(value)).toBe(true);
    }
  });

  test("a forced tool call comes back as one", async ({ page }) => {
    await signIn(page, ADMIN);
    const openai = client(page, secret);
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string", maxLength: 12 } }, required: ["city"] } } },
    ];
    // tiny-b: the starter's 256-token context cannot hold the tool's prompt. A random model writes
    // the call one character a time: 240 tokens leave room for the JSON around a 12-character city.
    const called = await openai.chat.completions.create({
      model: "tiny-b",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      max_tokens: 240,
      tools,
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(called.choices[0].finish_reason).toBe("tool_calls");
    const call = called.choices[0].message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    expect(call && call.type === "function" ? call.function.name : null).toBe("get_weather");
    expect(typeof JSON.parse(call && call.type === "function" ? call.function.arguments : "null").city).toBe("string");
  });

  test("each error status in OpenAI's shape: 400, 401, 403, 404, 429, 502, 504", async ({ page }) => {
    await signIn(page, ADMIN);
    const openai = client(page, secret);
    const ask = (c: OpenAI, model: string, extra: Record<string, unknown> = {}) =>
      c.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 4, ...extra });

    const bad = await errorOf(ask(openai, "tiny-a", { temperature: 5 }));
    expect(bad.status).toBe(400);
    expect(bad.param).toBe("temperature");
    expect(bad.type).toBe("invalid_request_error");

    expect((await errorOf(ask(client(page, "kdl_" + "x".repeat(43)), "tiny-a"))).status).toBe(401);
    const noKey = await page.request.post("/v1/chat/completions", { data: { model: "tiny-a", messages: [] } });
    expect(noKey.status()).toBe(401);
    expect((await noKey.json()).error).toMatchObject({ code: "invalid_api_key", param: null });

    const restricted = client(page, await createKey(page, "only tiny-b", { models: "tiny-b" }));
    const forbidden = await errorOf(ask(restricted, "tiny-a"));
    expect(forbidden.status).toBe(403);
    expect((await restricted.models.list()).data.map((m) => m.id)).toEqual(["tiny-b"]);

    const missing = await errorOf(ask(openai, "no-such-model"));
    expect(missing.status).toBe(404);
    expect(missing.code).toBe("model_not_found");

    const limited = client(page, await createKey(page, "one per minute", { rpm: 1 }));
    await ask(limited, "tiny-a");
    const tooMany = await errorOf(ask(limited, "tiny-a"));
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers?.get("retry-after"))).toBeGreaterThan(0);

    // A remote provider that fails (502, its body never relayed) or never answers (504).
    await page.goto("/settings/providers");
    const form = page.getByRole("form", { name: "Add a provider" });
    await form.getByLabel("Name").fill("Stub remote");
    await form.getByLabel("Base URL").fill(`http://127.0.0.1:${STUB_PORT}/v1`);
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(page.getByText("Added Stub remote.")).toBeVisible();
    await page.getByRole("button", { name: "Test connection to Stub remote" }).click();
    const panel = page.getByRole("region", { name: "Connection to Stub remote" });
    await panel.getByRole("checkbox", { name: /flaky/ }).check();
    await panel.getByRole("checkbox", { name: /silent/ }).check();
    await panel.getByRole("button", { name: "Import 2 selected" }).click();
    await expect(page.getByText("Imported 2 models from Stub remote.")).toBeVisible();

    const upstream = await errorOf(ask(openai, "stub-remote/flaky"));
    expect(upstream.status).toBe(502);
    expect(JSON.stringify(upstream.error)).not.toContain(LEAK);
    const timedOut = await errorOf(ask(openai, "stub-remote/silent"));
    expect(timedOut.status).toBe(504);
  });

  // The Python client where Python and its `openai` package are present (KINDLING_PYTHON names the
  // interpreter; .ci/run installs the package into a virtualenv when the machine's index has it).
  test("the official Python client: models, plain and streamed chat with usage, json_schema, a tool call, every error status", async ({ page }) => {
    const python = process.env.KINDLING_PYTHON || "python3";
    const probe = spawnSync(python, ["-c", "import openai; print(openai.__version__)"], { encoding: "utf8" });
    test.skip(probe.status !== 0, `no Python with the openai package (${python}): ${(probe.stderr || probe.error?.message || "").trim().split("\n").at(-1)}`);
    await signIn(page, ADMIN);
    const env = {
      ...process.env,
      KINDLING_BASE_URL: `${new URL(page.url()).origin}/v1`,
      KINDLING_API_KEY: secret,
      KINDLING_RESTRICTED_KEY: await createKey(page, "python only tiny-b", { models: "tiny-b" }),
      KINDLING_LIMITED_KEY: await createKey(page, "python one per minute", { rpm: 1 }),
    };
    // Not spawnSync: the stub provider lives in this process and must keep answering while Python runs.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(python, [path.join(import.meta.dirname, "python_client_check.py")], { env, encoding: "utf8", timeout: 180_000 }, (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    expect(Object.keys(report.errors)).toEqual(["400", "401", "403", "404", "429", "502", "504"]);
    // The usage rows equal what the Python client counted, with the key and source "api".
    const idOf = (id: string) => id.replace(/^chatcmpl-/, "");
    for (const call of [report.plain, report.stream]) {
      await expect.poll(async () => (await usageRows(page)).filter((r) => r.requestId === idOf(call.id)).length).toBe(1);
      const row = (await usageRows(page)).find((r) => r.requestId === idOf(call.id))!;
      expect(row).toMatchObject({ source: "api", status: "ok", inputTokens: call.prompt_tokens, outputTokens: call.completion_tokens });
      expect(row.apiKeyId).toBeTruthy();
    }
  });

  test("a revoked key, an expired key, a removed owner's key and a viewer's key are refused; a removed member's stream ends", async ({ page, browser }) => {
    await signIn(page, ADMIN);
    // Revoked: by the admin on the page.
    const revoked = await createKey(page, "to revoke");
    await client(page, revoked).models.list();
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Revoke to revoke" }).click();
    await expect(page.getByText(/Revoked to revoke/)).toBeVisible();
    expect((await errorOf(client(page, revoked).models.list())).status).toBe(401);

    // Expired: a key that ended yesterday cannot even be made; one ending today is refused after it ends,
    // which the database test covers with a moved clock. Here: the form names the field.
    await page.goto("/settings/api-keys");
    const form = page.getByRole("form", { name: "Create a key" });
    await form.getByLabel("Name").fill("already expired");
    await form.getByLabel("Expires").fill("2020-01-01");
    await form.getByRole("button", { name: "Create key" }).click();
    await expect(form.getByText("The expiry must be in the future.")).toBeVisible();

    // A member with a key, streaming, then demoted and removed.
    const addMember = serverActionId("app/(console)/settings/members/actions.ts", "addMemberAction");
    const who = (n: string) => ({ name: n, email: `${n}-${Date.now()}@kindling.test`, password: "member-pass-123", role: "member" });
    const mallory = who("mallory");
    const vera = who("vera");
    for (const m of [mallory, vera]) expect((await callServerAction(page.request, "/settings/members", addMember, [m])).status).toBe(200);
    const members = (await (await page.request.get("/api/members")).json()) as { id: string; email: string }[];
    const idOf = (email: string) => members.find((m) => m.email === email)!.id;

    const keys: Record<string, string> = {};
    for (const m of [mallory, vera]) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await signIn(p, m);
      keys[m.email] = await createKey(p, `${m.name}'s key`);
      await context.close();
    }

    const changeRole = serverActionId("app/(console)/settings/members/actions.ts", "changeRoleAction");
    await callServerAction(page.request, "/settings/members", changeRole, [{ userId: idOf(vera.email), role: "viewer" }]);
    expect((await errorOf(client(page, keys[vera.email]).models.list())).status).toBe(401);

    const stream = await client(page, keys[mallory.email]).chat.completions.create({
      model: "tiny-b",
      messages: [{ role: "user", content: "Write for a long time." }],
      max_tokens: 3500,
      stream: true,
    });
    let chunks = 0;
    let removedAt = 0;
    const removeMember = serverActionId("app/(console)/settings/members/actions.ts", "removeMemberAction");
    const ended = (async () => {
      try {
        for await (const chunk of stream) {
          chunks++;
          if (chunk.choices[0]?.finish_reason) return "finished";
          if (chunks === 2) {
            removedAt = Date.now();
            void callServerAction(page.request, "/settings/members", removeMember, [{ userId: idOf(mallory.email) }]);
          }
        }
        return "closed";
      } catch (error) {
        return error instanceof OpenAI.APIError ? "error" : String(error);
      }
    })();
    expect(await ended).toBe("error");
    expect(Date.now() - removedAt).toBeLessThan(10_000);
    expect((await errorOf(client(page, keys[mallory.email]).models.list())).status).toBe(401);
  });
});
