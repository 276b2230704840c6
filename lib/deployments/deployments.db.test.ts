// lib/deployments on a real database (PGlite and PostgreSQL) with real GGUF files in a models directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, deploymentEvents, deployments, models, user } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import type { Actor } from "@/lib/auth/accounts";
import { writeLoraSidecar } from "@/lib/engine/local-models";
import { writeLoraAdapterGguf } from "@/lib/gguf/llama";
import { writeTestModel } from "@/lib/gguf/test-model";
import { initLocalProvider, syncLocalModels } from "@/lib/providers/local";
import { appErrorOf } from "@/lib/testing/app-error";
import { unique } from "@/lib/testing/unique";
import { createDeployment, deleteDeployment, getDeployment, getDeploymentFormOptions, listDeploymentEvents, listDeployments, setDeploymentPaused, updateDeployment } from "./deployments";
import { createDeploymentSchema, type CreateDeploymentInput } from "./schemas";

let handle: TestDatabase;
let ctx: { db: TestDatabase["db"]; modelsDir: string };
let dir: string;
let admin: Actor;
let baseId: string;
const parse = (input: CreateDeploymentInput) => createDeploymentSchema.parse(input);

function lora(d: number, rank = 2) {
  return { a: new Float32Array(rank * d).fill(0.01), b: new Float32Array(d * rank).fill(0.01), rank };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kindling-deployments-"));
  await writeTestModel(path.join(dir, "base.gguf"), { embeddingLength: 64, blockCount: 1 });
  await writeLoraAdapterGguf(path.join(dir, "fits.gguf"), { alpha: 2, tensors: new Map([["blk.0.attn_q.weight", lora(64)]]) });
  // Built for a model twice as wide: its shapes cannot apply to base.gguf.
  await writeLoraAdapterGguf(path.join(dir, "too-wide.gguf"), { alpha: 2, tensors: new Map([["blk.0.attn_q.weight", lora(128)]]) });
  handle = await openTestDatabase();
  ctx = { db: handle.db, modelsDir: dir };
  await initLocalProvider(ctx.db, { dir, starter: path.join(dir, "no-starter.gguf") });
  const [row] = await ctx.db.insert(user).values({ id: unique("admin"), name: "Ada", email: `${unique("ada")}@example.test`, role: "admin" }).returning();
  admin = { id: row.id, email: row.email, role: "admin" };
  [{ id: baseId }] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "base"));
  // Opening and migrating PGlite took over 60 s on the shared 2-core machine.
}, 300_000);

afterAll(async () => {
  await handle?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("deployments", () => {
  it("creates with defaults, an event and an audit row, and reads back", async () => {
    const name = unique("chat");
    const d = await createDeployment(ctx, admin, parse({ name, modelId: baseId, adapters: [{ name: "support", file: "fits" }] }), "127.0.0.1");
    expect(d).toMatchObject({ name, model: { id: baseId, name: "base" }, minReplicas: 1, maxReplicas: 2, desiredReplicas: 1, readyReplicas: 0, state: "starting", status: "running" });
    expect(d.engine).toEqual({ threads: 1, parallel: 4, contextSize: null });
    expect(d.adapters).toEqual([{ name: "support", file: "fits", scale: 1 }]);
    expect(d.stats).toMatchObject({ requestsPerMinute: 0, ttftP50Ms: null, errorRate: null });
    const events = await listDeploymentEvents(ctx, name);
    expect(events.map((e) => e.kind)).toEqual(["created"]);
    expect(events[0].message).toContain("Created on base with adapters support");
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.target, name));
    expect(audits.map((a) => a.action)).toEqual(["deployment.create"]);
    expect((await listDeployments(ctx)).some((x) => x.name === name)).toBe(true);
  });

  it("refuses bad input with field errors and stores nothing", async () => {
    const name = unique("bad");
    await createDeployment(ctx, admin, parse({ name, modelId: baseId }));
    const before = (await ctx.db.select().from(deployments)).length;

    const taken = await appErrorOf(createDeployment(ctx, admin, parse({ name, modelId: baseId })), "CONFLICT");
    expect(taken.fieldErrors?.name?.[0]).toContain("already exists");
    const shadows = await appErrorOf(createDeployment(ctx, admin, parse({ name: "base", modelId: baseId })), "CONFLICT");
    expect(shadows.fieldErrors?.name?.[0]).toBe(`"base" is the name of a local model; apps calling it would reach this deployment instead. Pick another name.`);

    const range = createDeploymentSchema.safeParse({ name: unique("r"), modelId: baseId, minReplicas: 3, maxReplicas: 2 });
    expect(range.success).toBe(false);
    expect(range.error?.issues[0]).toMatchObject({ path: ["minReplicas"], message: "The minimum (3) is above the maximum (2)." });
    expect(createDeploymentSchema.safeParse({ name: "Not A Slug!", modelId: baseId }).error?.issues[0].path).toEqual(["name"]);

    const unknown = await appErrorOf(createDeployment(ctx, admin, parse({ name: unique("u"), modelId: "no-such-model" })), "VALIDATION");
    expect(unknown.fieldErrors?.modelId?.[0]).toBe("That model is not in the catalogue.");

    const mismatch = await appErrorOf(createDeployment(ctx, admin, parse({ name: unique("m"), modelId: baseId, adapters: [{ name: "ok", file: "fits" }, { name: "wide", file: "too-wide" }] })), "VALIDATION");
    expect(Object.keys(mismatch.fieldErrors ?? {})).toEqual(["adapters.1.file"]);
    expect(mismatch.fieldErrors?.["adapters.1.file"]?.[0]).toMatch(/does not fit this base model: blk\.0\.attn_q\.weight is \[64, 64\]/);

    const missing = await appErrorOf(createDeployment(ctx, admin, parse({ name: unique("f"), modelId: baseId, adapters: [{ name: "x", file: "nope" }] })), "VALIDATION");
    expect(missing.fieldErrors?.["adapters.0.file"]?.[0]).toContain("cannot be read");

    const failover = await appErrorOf(createDeployment(ctx, admin, parse({ name: unique("fo"), modelId: baseId, failoverModelId: "missing" })), "VALIDATION");
    expect(failover.fieldErrors?.failoverModelId).toBeDefined();

    expect((await ctx.db.select().from(deployments)).length).toBe(before);
  });

  it("rolls on engine changes, clamps replicas on scaling changes, and checks min <= max against stored values", async () => {
    const name = unique("roll");
    await createDeployment(ctx, admin, parse({ name, modelId: baseId, minReplicas: 1, maxReplicas: 3 }));
    const scaled = await updateDeployment(ctx, admin, { name, minReplicas: 2 });
    expect(scaled).toMatchObject({ generation: 1, desiredReplicas: 2 });
    const rolled = await updateDeployment(ctx, admin, { name, engine: { threads: 1, parallel: 2, contextSize: 512 } });
    expect(rolled.generation).toBe(2);
    const err = await appErrorOf(updateDeployment(ctx, admin, { name, maxReplicas: 1 }), "VALIDATION");
    expect(err.fieldErrors?.maxReplicas?.[0]).toBe("The minimum (2) is above the maximum (1).");
    const events = await listDeploymentEvents(ctx, name);
    expect(events.map((e) => e.kind)).toEqual(["settings_changed", "settings_changed", "created"]);
    expect(events[0].message).toBe("Settings changed (engine settings); rolling the replicas to generation 2.");
  });

  it("pauses, resumes and deletes, keeping the events by name", async () => {
    const name = unique("life");
    await createDeployment(ctx, admin, parse({ name, modelId: baseId }));
    expect((await setDeploymentPaused(ctx, admin, name, true)).state).toBe("paused");
    expect((await setDeploymentPaused(ctx, admin, name, false)).status).toBe("running");
    await deleteDeployment(ctx, admin, name);
    await appErrorOf(getDeployment(ctx, name), "NOT_FOUND");
    expect((await listDeploymentEvents(ctx, name)).map((e) => e.kind)).toEqual(["deleted", "resumed", "paused", "created"]);
    const rows = await ctx.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentName, name));
    expect(rows.every((r) => r.deploymentId === null)).toBe(true);
  });

  it("offers readable local models and adapter files in the form", async () => {
    const options = await getDeploymentFormOptions(ctx);
    expect(options.baseModels.map((m) => m.name)).toEqual(["base"]);
    expect(options.adapterFiles.map((a) => a.file).sort()).toEqual(["fits", "too-wide"]);
  });

  it("refuses a LoRA model (a fine-tuning result) as the base, and offers its file as an adapter", async () => {
    await writeLoraAdapterGguf(path.join(dir, "tuned.gguf"), { alpha: 2, tensors: new Map([["blk.0.attn_q.weight", lora(64)]]) });
    await writeLoraSidecar("tuned", { base: "base", scale: 1 }, dir);
    await syncLocalModels(ctx.db, dir);
    const [{ id: tunedId }] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "tuned"));
    const before = (await ctx.db.select().from(deployments)).length;
    const refused = await appErrorOf(createDeployment(ctx, admin, parse({ name: unique("t"), modelId: tunedId })), "VALIDATION");
    expect(refused.fieldErrors?.modelId?.[0]).toBe("tuned is a LoRA adapter on base: deploy base and add tuned as an adapter.");
    expect((await ctx.db.select().from(deployments)).length).toBe(before);
    const options = await getDeploymentFormOptions(ctx);
    expect(options.baseModels.map((m) => m.name)).toEqual(["base"]);
    expect(options.adapterFiles.map((a) => a.file).sort()).toEqual(["fits", "too-wide", "tuned"]);
    const d = await createDeployment(ctx, admin, parse({ name: unique("on-base"), modelId: baseId, adapters: [{ name: "tuned", file: "tuned" }] }));
    expect(d.adapters).toEqual([{ name: "tuned", file: "tuned", scale: 1 }]);
  });
});
