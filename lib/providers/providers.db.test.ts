// Providers, models and prices on a real database (PGlite and PostgreSQL), with real HTTP servers as
// providers and a real engine process for the local provider.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, modelPrices, models, providers, user } from "@/db/schema";
import type { Actor } from "@/lib/auth/accounts";
import { AppError } from "@/lib/errors";
import { writeTestModel } from "@/lib/gguf/test-model";
import { writeLoraAdapterGguf } from "@/lib/gguf/llama";
import { writeGguf } from "@/lib/gguf/writer";
import { changeModelPrice, getModelPriceHistory, listModels, retryLocalModel, updateModel } from "@/lib/models/models";
import { getPrice } from "@/lib/models/prices";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { reencryptProviderKeys } from "./crypto";
import { providerFetch } from "./http";
import { writeLoraSidecar } from "@/lib/engine/local-models";
import { stopAllEngines } from "@/lib/engine/supervisor";
import { initLocalProvider, LOCAL_PROVIDER_ID, syncLocalModels } from "./local";
import { createProvider, deleteProvider, importProviderModels, listProviders, testProviderConnection, updateProvider } from "./providers";
import { listPickerModels, resolveModelTarget } from "./resolve";
import { invalidateModelTargets } from "./target-cache";
import { appErrorOf } from "@/lib/testing/app-error";

const SECRET = "providers-test-secret-".padEnd(48, "s");
const KEY = "sk-test-abcdefghijklmnop-WXYZ";

let handle: TestDatabase;
let ctx: { db: TestDatabase["db"] };
let admin: Actor;
let dir: string;
let fake: Server;
let fakeUrl: string;
let hanging: Server;
let hangingUrl: string;
const env = { ...process.env };
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;


async function listenOn(handler: Parameters<typeof createServer>[1]): Promise<[Server, string]> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`];
}

beforeAll(async () => {
  process.env.KINDLING_SECRET = SECRET;
  delete process.env.KINDLING_SECRET_PREVIOUS;
  dir = await mkdtemp(path.join(tmpdir(), "kindling-providers-"));
  process.env.KINDLING_DATA_DIR = dir;
  handle = await openTestDatabase();
  ctx = { db: handle.db };
  const [row] = await ctx.db.insert(user).values({ id: "admin-1", name: "Ada", email: "ada@example.test", role: "admin" }).returning();
  admin = { id: row.id, email: row.email, role: "admin" };
  // An OpenAI-compatible stand-in that wants the key, and one that never answers.
  [fake, fakeUrl] = await listenOn((req, res) => {
    if (req.headers.authorization !== `Bearer ${KEY}`) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `bad key ${req.headers.authorization}` } }));
      return;
    }
    if (req.url === "/v1/models") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ object: "list", data: [{ id: "big-model", max_model_len: 32768 }, { id: "fast-model" }] }));
      return;
    }
    res.writeHead(404).end();
  });
  [hanging, hangingUrl] = await listenOn(() => {});
}, 60_000);

afterAll(async () => {
  await stopAllEngines();
  for (const s of [fake, hanging]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
  await handle?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  process.env = env;
});

describe(`providers on ${process.env.KINDLING_TEST_DB}`, () => {
  it("adds a provider with an encrypted key that no list or DTO ever carries", async () => {
    const created = await createProvider(ctx, admin, { name: unique("vLLM"), baseUrl: `${fakeUrl}/`, apiKey: KEY }, "10.0.0.1");
    expect(created.baseUrl).toBe(fakeUrl);
    expect(created.apiKeyHint).toBe("…WXYZ");
    const [row] = await ctx.db.select().from(providers).where(eq(providers.id, created.id));
    expect(row.apiKeyCiphertext).toBeTruthy();
    expect(row.apiKeyCiphertext).not.toContain("abcdefghijklmnop");
    expect(row.apiKeyVersion).toBeGreaterThan(0);
    const listed = await listProviders(ctx);
    const all = JSON.stringify(listed);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(row.apiKeyCiphertext!);
    expect(Object.keys(listed.find((p) => p.id === created.id)!).sort()).toEqual(
      ["apiKeyHint", "baseUrl", "createdAt", "id", "kind", "modelCount", "name", "updatedAt"].sort(),
    );
    const [audit] = await ctx.db.select().from(auditLog).where(eq(auditLog.target, created.name));
    expect(audit.action).toBe("provider.add");
    expect(JSON.stringify(audit.details)).not.toContain(KEY);
  });

  it("refuses bad base URLs and duplicate names with field errors", async () => {
    for (const baseUrl of ["ftp://example.com/v1", "http://169.254.169.254/v1", "http://[fe80::1]/v1", "http://metadata.google.internal/v1", "not a url", "http://u:p@example.com/v1"]) {
      const e = await appErrorOf(createProvider(ctx, admin, { name: unique("bad"), baseUrl, apiKey: "" }, null));
      expect(e.code, baseUrl).toBe("VALIDATION");
      expect(e.fieldErrors?.baseUrl?.[0], baseUrl).toBeTruthy();
    }
    const name = unique("Dup");
    await createProvider(ctx, admin, { name, baseUrl: fakeUrl, apiKey: "" }, null);
    const e = await appErrorOf(createProvider(ctx, admin, { name: name.toUpperCase(), baseUrl: fakeUrl, apiKey: "" }, null));
    expect(e.code).toBe("CONFLICT");
    expect(e.fieldErrors?.name).toEqual(["Another provider already has this name."]);

    // Two saves of one new name at once: one wins, the other gets the same field error.
    const race = unique("Race");
    const results = await Promise.allSettled([0, 1, 2].map(() => createProvider(ctx, admin, { name: race, baseUrl: fakeUrl, apiKey: "" }, null)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === "rejected")) {
      expect((r.reason as AppError).code).toBe("CONFLICT");
      expect((r.reason as AppError).fieldErrors?.name).toBeTruthy();
    }
  });

  it("tests the connection: models listed with their context, a wrong key, a provider down, a timeout", async () => {
    const p = await createProvider(ctx, admin, { name: unique("Conn"), baseUrl: fakeUrl, apiKey: KEY }, null);
    const ok = await testProviderConnection(ctx, { id: p.id });
    expect(ok.models).toEqual([
      { id: "big-model", contextLength: 32768, imported: false },
      { id: "fast-model", contextLength: null, imported: false },
    ]);

    const wrong = await createProvider(ctx, admin, { name: unique("WrongKey"), baseUrl: fakeUrl, apiKey: "sk-wrong-key-0000" }, null);
    const e401 = await appErrorOf(testProviderConnection(ctx, { id: wrong.id }));
    expect(e401.code).toBe("UPSTREAM");
    expect(e401.message).toMatch(/refused the API key \(HTTP 401\)/);
    expect(e401.message).not.toContain("sk-wrong");

    const [closed, closedUrl] = await listenOn(() => {});
    await new Promise((r) => closed.close(r));
    const down = await createProvider(ctx, admin, { name: unique("Down"), baseUrl: closedUrl, apiKey: "" }, null);
    const eDown = await appErrorOf(testProviderConnection(ctx, { id: down.id }));
    expect(eDown.code).toBe("UPSTREAM");
    expect(eDown.message).toMatch(/Connection refused/);

    const slow = await createProvider(ctx, admin, { name: unique("Slow"), baseUrl: hangingUrl, apiKey: "" }, null);
    const eSlow = await appErrorOf(testProviderConnection(ctx, { id: slow.id }, { timeoutMs: 300 }));
    expect(eSlow.code).toBe("UPSTREAM");
    expect(eSlow.message).toMatch(/did not answer within/);
  });

  it("updates name, URL and key, removes the key, and never changes or removes the local provider", async () => {
    await initLocalProvider(ctx.db, { dir: path.join(dir, "empty-models"), starter: path.join(dir, "no-starter.gguf") });
    const p = await createProvider(ctx, admin, { name: unique("Edit"), baseUrl: fakeUrl, apiKey: KEY }, null);
    const renamed = await updateProvider(ctx, admin, { id: p.id, name: `${p.name}-2`, baseUrl: `${fakeUrl}/`, apiKey: "", removeApiKey: false }, null);
    expect(renamed.name).toBe(`${p.name}-2`);
    expect(renamed.apiKeyHint).toBe("…WXYZ");
    const rekeyed = await updateProvider(ctx, admin, { id: p.id, name: renamed.name, baseUrl: fakeUrl, apiKey: "sk-another-key-9876", removeApiKey: false }, null);
    expect(rekeyed.apiKeyHint).toBe("…9876");
    const keyless = await updateProvider(ctx, admin, { id: p.id, name: renamed.name, baseUrl: fakeUrl, apiKey: "", removeApiKey: true }, null);
    expect(keyless.apiKeyHint).toBeNull();
    const [row] = await ctx.db.select().from(providers).where(eq(providers.id, p.id));
    expect(row.apiKeyCiphertext).toBeNull();

    expect((await appErrorOf(deleteProvider(ctx, admin, { id: LOCAL_PROVIDER_ID }, null))).code).toBe("CONFLICT");
    expect((await appErrorOf(updateProvider(ctx, admin, { id: LOCAL_PROVIDER_ID, name: "x", baseUrl: fakeUrl, apiKey: "", removeApiKey: false }, null))).code).toBe("CONFLICT");
    expect((await appErrorOf(deleteProvider(ctx, admin, { id: "nope" }, null))).code).toBe("NOT_FOUND");
  });

  it("imports models from the list, once, and removing the provider removes them", async () => {
    const p = await createProvider(ctx, admin, { name: unique("Import"), baseUrl: fakeUrl, apiKey: KEY }, null);
    const first = await importProviderModels(ctx, admin, { providerId: p.id, names: ["big-model"] }, null);
    expect(first).toEqual({ imported: ["big-model"], alreadyPresent: [] });
    const again = await importProviderModels(ctx, admin, { providerId: p.id, names: ["big-model", "fast-model"] }, null);
    expect(again).toEqual({ imported: ["fast-model"], alreadyPresent: ["big-model"] });
    expect((await testProviderConnection(ctx, { id: p.id })).models.every((m) => m.imported)).toBe(true);
    expect((await appErrorOf(importProviderModels(ctx, admin, { providerId: p.id, names: ["made-up"] }, null))).code).toBe("VALIDATION");
    const listed = (await listModels(ctx)).filter((m) => m.providerId === p.id);
    expect(listed.map((m) => [m.name, m.contextLength, m.price])).toEqual([
      ["big-model", 32768, null],
      ["fast-model", null, null],
    ]);
    expect((await listProviders(ctx)).find((x) => x.id === p.id)?.modelCount).toBe(2);
    await deleteProvider(ctx, admin, { id: p.id }, null);
    expect(await ctx.db.select().from(models).where(eq(models.providerId, p.id))).toHaveLength(0);
  });
});

describe(`models, prices and the resolver on ${process.env.KINDLING_TEST_DB}`, () => {
  let providerId: string;
  let modelId: string;

  beforeAll(async () => {
    const p = await createProvider(ctx, admin, { name: unique("Priced"), baseUrl: fakeUrl, apiKey: KEY }, null);
    providerId = p.id;
    await importProviderModels(ctx, admin, { providerId, names: ["big-model"] }, null);
    [{ id: modelId }] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.providerId, providerId));
  });

  it("versions prices: each change is a new row, and an old price id keeps its old value", async () => {
    const first = await changeModelPrice(ctx, admin, { modelId, inputPerMillion: 0.5, outputPerMillion: 1.5 }, null);
    const target1 = await resolveModelTarget(ctx.db, modelId);
    expect(target1.price).toEqual({ id: first.id, inputPerMillion: 0.5, outputPerMillion: 1.5 });

    const second = await changeModelPrice(ctx, admin, { modelId, inputPerMillion: 0.25, outputPerMillion: 2 }, null);
    expect(second.id).not.toBe(first.id);
    expect((await resolveModelTarget(ctx.db, modelId)).price).toEqual({ id: second.id, inputPerMillion: 0.25, outputPerMillion: 2 });
    expect(await getPrice(ctx.db, first.id)).toMatchObject({ id: first.id, inputPerMillion: 0.5, outputPerMillion: 1.5, modelId });

    const same = await changeModelPrice(ctx, admin, { modelId, inputPerMillion: 0.25, outputPerMillion: 2 }, null);
    expect(same.id).toBe(second.id);
    expect(await ctx.db.select().from(modelPrices).where(eq(modelPrices.modelId, modelId))).toHaveLength(2);
    expect((await getModelPriceHistory(ctx, modelId)).map((p) => p.id)).toEqual([second.id, first.id]);

    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "model.price_change"));
    expect(audits.at(-1)!.details).toMatchObject({ from: { inputPerMillion: 0.5, outputPerMillion: 1.5 }, to: { inputPerMillion: 0.25, outputPerMillion: 2 } });
  });

  it("resolves an openai-compatible model with its decrypted key, and the key works against the provider", async () => {
    const target = await resolveModelTarget(ctx.db, modelId);
    expect(target.provider).toMatchObject({ id: providerId, kind: "openai-compatible" });
    expect(target.model).toMatchObject({ id: modelId, name: "big-model", displayName: "big-model", contextLength: 32768 });
    expect(target.baseUrl).toBe(fakeUrl);
    expect(target.apiKey).toBe(KEY);
    const res = await providerFetch(`${target.baseUrl}/models`, { method: "GET", headers: { authorization: `Bearer ${target.apiKey}` } });
    expect(res.status).toBe(200);
  });

  it("edits tags, display name and enabled; a disabled model is unavailable and leaves the picker", async () => {
    await updateModel(ctx, admin, { id: modelId, tags: ["reasoning", "fast"], displayName: "Big Model" }, null);
    const picker = await listPickerModels(ctx.db);
    const entry = picker.find((m) => m.id === modelId)!;
    expect(entry).toMatchObject({ displayName: "Big Model", name: "big-model", tags: ["reasoning", "fast"], price: { inputPerMillion: 0.25, outputPerMillion: 2 } });
    expect(JSON.stringify(picker)).not.toContain(KEY);
    await updateModel(ctx, admin, { id: modelId, enabled: false }, null);
    expect((await listPickerModels(ctx.db)).map((m) => m.id)).not.toContain(modelId);
    expect((await appErrorOf(resolveModelTarget(ctx.db, modelId))).code).toBe("UNAVAILABLE");
    await updateModel(ctx, admin, { id: modelId, enabled: true }, null);
    expect((await appErrorOf(resolveModelTarget(ctx.db, "no-such-model"))).code).toBe("NOT_FOUND");
  });

  it("rotates the secret: old rows still decrypt with KINDLING_SECRET_PREVIOUS, and re-encryption upgrades them", async () => {
    const [before] = await ctx.db.select().from(providers).where(eq(providers.id, providerId));
    // Changing the secret means a restart, which starts with an empty target cache.
    const restartWith = (current: string, previous?: string) => {
      process.env.KINDLING_SECRET = current;
      if (previous === undefined) delete process.env.KINDLING_SECRET_PREVIOUS;
      else process.env.KINDLING_SECRET_PREVIOUS = previous;
      invalidateModelTargets();
    };
    restartWith("rotated-secret-".padEnd(48, "r"), `unrelated-old-secret-${"u".repeat(20)}, ${SECRET}`);
    try {
      expect((await resolveModelTarget(ctx.db, modelId)).apiKey).toBe(KEY);
      const result = await reencryptProviderKeys(ctx.db);
      expect(result.reencrypted).toBeGreaterThan(0);
      expect(result.unreadable).toEqual([]);
      const [after] = await ctx.db.select().from(providers).where(eq(providers.id, providerId));
      expect(after.apiKeyVersion).not.toBe(before.apiKeyVersion);
      restartWith("rotated-secret-".padEnd(48, "r"));
      expect((await resolveModelTarget(ctx.db, modelId)).apiKey).toBe(KEY);
      expect(await reencryptProviderKeys(ctx.db)).toEqual({ reencrypted: 0, unreadable: [] });
    } finally {
      restartWith(SECRET, "rotated-secret-".padEnd(48, "r"));
      await reencryptProviderKeys(ctx.db);
      restartWith(SECRET);
    }
    const e = await appErrorOf(
      (async () => {
        restartWith("a-secret-nobody-used-".padEnd(48, "z"));
        try {
          return await resolveModelTarget(ctx.db, modelId);
        } finally {
          restartWith(SECRET);
        }
      })(),
    );
    expect(e.code).toBe("UNAVAILABLE");
    expect(e.message).toMatch(/KINDLING_SECRET_PREVIOUS/);
  });
});

describe(`the local provider on ${process.env.KINDLING_TEST_DB}`, () => {
  it("installs the starter, syncs the .gguf files with context lengths, and serves one through a real engine", async () => {
    const modelsDir = path.join(dir, "models");
    const starter = path.join(dir, "starter", "kindling-starter.gguf");
    await mkdir(path.dirname(starter), { recursive: true });
    await mkdir(modelsDir, { recursive: true });
    await writeTestModel(starter, { seed: 3, contextLength: 256 });
    await writeTestModel(path.join(modelsDir, "tiny.gguf"), { seed: 7, contextLength: 512 });
    const result = await initLocalProvider(ctx.db, { dir: modelsDir, starter });
    expect(result.added.sort()).toEqual(["kindling-starter", "tiny"]);
    expect((await initLocalProvider(ctx.db, { dir: modelsDir, starter })).added).toEqual([]);

    const local = (await listModels(ctx)).filter((m) => m.providerId === LOCAL_PROVIDER_ID);
    expect(local.map((m) => [m.name, m.contextLength, m.tags, m.price?.inputPerMillion, m.price?.outputPerMillion, m.available])).toEqual([
      ["kindling-starter", 256, ["local"], 0, 0, true],
      ["tiny", 512, ["local"], 0, 0, true],
    ]);

    const tiny = local.find((m) => m.name === "tiny")!;
    const target = await resolveModelTarget(ctx.db, tiny.id);
    expect(target.provider).toEqual({ id: LOCAL_PROVIDER_ID, name: "Local engine", kind: "local" });
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(target.apiKey).toBeNull();
    expect(target.price).toMatchObject({ inputPerMillion: 0, outputPerMillion: 0 });
    const list = (await (await providerFetch(`${target.baseUrl}/models`, { method: "GET", headers: {} })).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toEqual(["tiny"]);
    // The engine is started once and reused.
    expect((await resolveModelTarget(ctx.db, tiny.id)).baseUrl).toBe(target.baseUrl);
    const engines = Object.fromEntries((await listModels(ctx)).filter((m) => m.engine).map((m) => [m.name, m.engine]));
    expect(engines).toEqual({ "kindling-starter": { status: "idle", error: null }, tiny: { status: "ready", error: null } });
  }, 120_000);

  it("reports a model that fails to load as UNAVAILABLE with its error, without retrying it", async () => {
    const modelsDir = path.join(dir, "models");
    // A valid GGUF header with an architecture llama.cpp does not know: the engine itself refuses it.
    await writeGguf(path.join(modelsDir, "bogus.gguf"), { metadata: { "general.architecture": { type: "string", value: "bogus" } }, tensors: [] });
    await writeFile(path.join(modelsDir, "garbage.gguf"), Buffer.from("GGUF this is not a model"));
    await initLocalProvider(ctx.db, { dir: modelsDir, starter: path.join(dir, "none.gguf") });
    const all = await listModels(ctx);
    for (const name of ["bogus", "garbage"]) {
      const row = all.find((m) => m.name === name)!;
      const first = await appErrorOf(resolveModelTarget(ctx.db, row.id));
      expect(first.code, name).toBe("UNAVAILABLE");
      expect(first.message, name).toMatch(name === "bogus" ? /could not be started: .*(Failed to load model|exited)/ : /not a readable GGUF/);
      const started = Date.now();
      const second = await appErrorOf(resolveModelTarget(ctx.db, row.id));
      expect(second.message).toBe(first.message);
      expect(Date.now() - started).toBeLessThan(1_000);
      const listed = (await listModels(ctx)).find((m) => m.name === name)!;
      expect(listed.engine?.status, name).toBe("failed");
      expect(first.message, name).toContain(listed.engine!.error!);
    }

    await rm(path.join(modelsDir, "garbage.gguf"));
    const garbage = (await listModels(ctx)).find((m) => m.name === "garbage")!;
    expect(garbage.available).toBe(false);
    expect((await listPickerModels(ctx.db)).map((m) => m.name)).not.toContain("garbage");
    expect((await appErrorOf(resolveModelTarget(ctx.db, garbage.id))).message).toMatch(/missing/);

    // Rescan files forgets the failures: the next use tries again (and these files fail again).
    const bogus = all.find((m) => m.name === "bogus")!;
    expect((await syncLocalModels(ctx.db, modelsDir)).retried).toEqual(["bogus", "garbage"]);
    expect((await listModels(ctx)).find((m) => m.name === "bogus")!.engine).toEqual({ status: "idle", error: null });
    expect((await appErrorOf(resolveModelTarget(ctx.db, bogus.id))).code).toBe("UNAVAILABLE");
    expect((await listModels(ctx)).find((m) => m.name === "bogus")!.engine!.status).toBe("failed");
    // So does Retry on the model, for that model only.
    expect(await retryLocalModel(ctx, bogus.id)).toEqual({ status: "idle", error: null });
    expect((await listModels(ctx)).find((m) => m.name === "bogus")!.engine!.status).toBe("idle");
    expect((await appErrorOf(retryLocalModel(ctx, crypto.randomUUID()))).code).toBe("NOT_FOUND");
  }, 120_000);
  it("registers a LoRA adapter whose sidecar names its base, and serves it as the base with the adapter applied", async () => {
    const modelsDir = path.join(dir, "models");
    // A rank-4 adapter on the test model's blk.1.attn_v (64 -> 32), as in lib/engine/engine.test.ts.
    const adapter = {
      rank: 4,
      a: Float32Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i * 1.3) * 0.4),
      b: Float32Array.from({ length: 32 * 4 }, (_, i) => Math.cos(i * 0.7) * 0.4),
    };
    for (const name of ["tiny-lora", "loose-adapter", "lost-base", "bad-sidecar"]) {
      await writeLoraAdapterGguf(path.join(modelsDir, `${name}.gguf`), { alpha: 16, tensors: new Map([["blk.1.attn_v.weight", adapter]]) });
    }
    await writeLoraSidecar("tiny-lora", { base: "tiny", scale: 1 }, modelsDir);
    await writeLoraSidecar("lost-base", { base: "gone", scale: 1 }, modelsDir);
    await writeFile(path.join(modelsDir, "bad-sidecar.lora.json"), "{ not json");
    await expect(writeLoraSidecar("x", { base: "../escape", scale: 1 }, modelsDir)).rejects.toThrow(/not a model file name/);

    const result = await syncLocalModels(ctx.db, modelsDir);
    // An adapter without a sidecar stays an adapter (deployments attach those to a base).
    expect(result.added.sort()).toEqual(["lost-base", "tiny-lora"]);
    expect(result.unreadable).toEqual(
      expect.arrayContaining([
        { name: "bad-sidecar", error: "bad-sidecar.lora.json is not JSON." },
        { name: "lost-base", error: "its base gone is not in the models folder" },
      ]),
    );
    const local = await listModels(ctx);
    const tuned = local.find((m) => m.name === "tiny-lora")!;
    const base = local.find((m) => m.name === "tiny")!;
    // The base's context length: an adapter's header has none.
    expect(tuned.contextLength).toBe(512);
    expect(local.some((m) => m.name === "loose-adapter")).toBe(false);

    const target = await resolveModelTarget(ctx.db, tuned.id);
    const baseTarget = await resolveModelTarget(ctx.db, base.id);
    expect(target.baseUrl).not.toBe(baseTarget.baseUrl);
    const list = (await (await providerFetch(`${target.baseUrl}/models`, { method: "GET", headers: {} })).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toEqual(["tiny-lora"]);
    const ask = async (baseUrl: string, model: string) => {
      const res = await providerFetch(`${baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "Hello" }], max_tokens: 10, temperature: 0 }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content;
    };
    const plain = await ask(baseTarget.baseUrl!, "tiny");
    const adapted = await ask(target.baseUrl!, "tiny-lora");
    expect(plain).toHaveLength(10);
    expect(adapted).toHaveLength(10);
    expect(adapted).not.toBe(plain);

    // A sidecar whose base is gone: a clear error naming the base, not an engine started on the adapter.
    const lost = local.find((m) => m.name === "lost-base")!;
    const error = await appErrorOf(resolveModelTarget(ctx.db, lost.id));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/its base gone is missing from/);
  }, 120_000);
});
