import { spawnSync } from "node:child_process";
import { createReadStream, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import OpenAI, { toFile } from "openai";
import { ADMIN, callServerAction, screenshot, serverActionId, signIn, signInAsAdmin } from "./fixtures";
import { client, createKey, errorOf } from "./openai-client";

// The OpenAI files and fine-tuning API with the official `openai` client, keyed like e2e/gateway.spec.ts:
// upload the sample dataset, train the real starter model on it through the queue, follow the job,
// cancel another, and chat with the result. Runs after accounts.spec.ts, which creates ADMIN.
const SAMPLE = path.resolve("assets/starter/finetune-csv.train.jsonl");
const SAMPLE_VAL = path.resolve("assets/starter/finetune-csv.val.jsonl");
const DATA_DIR = path.resolve(".data", `e2e-${process.env.E2E_PORT || "3210"}`);
const MODELS_DIR = path.join(DATA_DIR, "models");
const chat = (user: string, assistant: string) => JSON.stringify({ messages: [{ role: "user", content: user }, { role: "assistant", content: assistant }] });
const BROKEN = [chat("hi", "hello"), "{this is not json", JSON.stringify({ messages: [{ role: "wizard", content: "x" }, { role: "assistant", content: "y" }] }), JSON.stringify({ messages: [{ role: "user", content: "no answer here" }] })].join("\n");

async function allFiles(openai: OpenAI): Promise<string[]> {
  const ids: string[] = [];
  for await (const f of openai.files.list()) ids.push(f.id);
  return ids;
}

async function allJobs(openai: OpenAI): Promise<string[]> {
  const ids: string[] = [];
  for await (const j of openai.fineTuning.jobs.list({ limit: 50 })) ids.push(j.id);
  return ids;
}

/** A fine-tuned model answers the sample task at once through the gateway, under its own name. */
async function expectAnswers(openai: OpenAI, model: string) {
  const answer = await openai.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Extract the name, city and age as CSV: Amara is 43 and lives in Berlin." }],
    max_tokens: 24,
    temperature: 0,
  });
  expect(answer.model).toBe(model);
  expect(answer.choices[0].message.content!.length).toBeGreaterThan(0);
}

test.describe.serial("the OpenAI fine-tuning API", () => {
  // Real training on a shared 2-core machine: generous, but bounded by the poll below.
  test.describe.configure({ timeout: 600_000 });
  let secret = "";
  let trainingFile = "";
  let validationFile = "";

  /** Signs `page` in as the admin and returns a client with the admin's key (made by the first test). */
  async function adminClient(page: Page): Promise<OpenAI> {
    await signIn(page, ADMIN);
    return client(page, secret);
  }

  test("uploads the sample dataset as a fine-tune file, lists and retrieves it", async ({ page }) => {
    await signInAsAdmin(page);
    secret = await createKey(page, "fine-tuning api");
    const openai = client(page, secret);
    const file = await openai.files.create({ file: createReadStream(SAMPLE), purpose: "fine-tune" });
    expect(file).toMatchObject({ object: "file", purpose: "fine-tune", status: "processed", filename: "finetune-csv.train.jsonl", bytes: statSync(SAMPLE).size });
    expect(file.id).toMatch(/^file-[0-9a-f]{24}$/);
    expect(Math.abs(file.created_at - Date.now() / 1000)).toBeLessThan(120);
    trainingFile = file.id;
    // The same content again is the same file (a dataset is identified by its content).
    expect((await openai.files.create({ file: createReadStream(SAMPLE), purpose: "fine-tune" })).id).toBe(trainingFile);
    // A short validation file keeps the before/after check quick.
    const valLines = readFileSync(SAMPLE_VAL, "utf8").trim().split("\n").slice(0, 20).join("\n") + "\n";
    validationFile = (await openai.files.create({ file: await toFile(Buffer.from(valLines), "val.jsonl"), purpose: "fine-tune" })).id;

    expect(await openai.files.retrieve(trainingFile)).toEqual(file);
    expect(await allFiles(openai)).toEqual(expect.arrayContaining([trainingFile, validationFile]));
    const missing = await errorOf(openai.files.retrieve("file-000000000000000000000000"));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain("No such File object: file-000000000000000000000000");
  });

  test("refuses a broken file naming every bad line, a wrong purpose and a file over 100 MB, storing nothing", async ({ page }) => {
    const openai = await adminClient(page);
    const before = await allFiles(openai);

    const broken = await errorOf(openai.files.create({ file: await toFile(Buffer.from(BROKEN), "broken.jsonl"), purpose: "fine-tune" }));
    expect(broken.status).toBe(400);
    expect(broken.param).toBe("file");
    expect(broken.message).toContain("broken.jsonl was not stored: 3 bad lines.");
    expect(broken.message).toContain("line 2: not JSON");
    expect(broken.message).toContain(`line 3: messages[0] has the unknown role "wizard"`);
    expect(broken.message).toContain("line 4: no assistant turn");

    const purpose = await errorOf(openai.files.create({ file: await toFile(Buffer.from(chat("a", "b")), "ok.jsonl"), purpose: "assistants" }));
    expect(purpose.status).toBe(400);
    expect(purpose.param).toBe("purpose");
    expect(purpose.message).toContain(`purpose "assistants" is not supported`);

    const line = `${chat("x".repeat(100), "y")}\n`;
    const huge = Buffer.from(line.repeat(Math.ceil((100 * 1024 * 1024 + 1) / line.length)));
    const tooBig = await errorOf(openai.files.create({ file: await toFile(huge, "huge.jsonl"), purpose: "fine-tune" }));
    expect(tooBig.status).toBe(400);
    expect(tooBig.param).toBe("file");
    expect(tooBig.message).toBe("400 The file is larger than the 100 MB limit.");

    expect(await allFiles(openai)).toEqual(before);
    // Nothing half-written either: refused uploads leave no spooled file behind.
    expect(readdirSync(path.join(DATA_DIR, "datasets", "tmp"))).toEqual([]);
  });

  test("refuses jobs on an unknown file, an unknown base, a base the trainer cannot train and a dataset too long for the base, storing nothing", async ({ page }) => {
    const openai = await adminClient(page);
    const before = await allJobs(openai);
    const create = (body: Partial<OpenAI.FineTuning.JobCreateParams>) =>
      errorOf(openai.fineTuning.jobs.create({ model: "kindling-starter", training_file: trainingFile, ...body } as OpenAI.FineTuning.JobCreateParams));

    const unknownFile = await create({ training_file: "file-000000000000000000000000" });
    expect([unknownFile.status, unknownFile.param]).toEqual([400, "training_file"]);
    expect(unknownFile.message).toContain("there is no file file-000000000000000000000000");
    const unknownVal = await create({ validation_file: "file-nope" });
    expect([unknownVal.status, unknownVal.param]).toEqual([400, "validation_file"]);

    const unknownBase = await create({ model: "gpt-4o-mini" });
    expect([unknownBase.status, unknownBase.param]).toEqual([400, "model"]);
    expect(unknownBase.message).toBe(`400 There is no local model named "gpt-4o-mini".`);

    // A file in the models folder that is not a model: listed as a base, with the reason it cannot be trained.
    const junk = path.join(MODELS_DIR, "not-a-model.gguf");
    writeFileSync(junk, "this is not a GGUF file");
    try {
      const untrainable = await create({ model: "not-a-model" });
      expect([untrainable.status, untrainable.param]).toEqual([400, "model"]);
      expect(untrainable.message).toMatch(/^400 The trainer cannot fine-tune not-a-model: its file cannot be read/);
    } finally {
      rmSync(junk, { force: true });
    }

    const badHyper = await create({ method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 0 } } } });
    expect([badHyper.status, badHyper.param]).toEqual([400, "method.supervised.hyperparameters.n_epochs"]);
    const dpo = await create({ method: { type: "dpo" } });
    expect([dpo.status, dpo.param]).toEqual([400, "method.type"]);

    // Checked at upload against the longest context of a trainable base (tiny-b: 4,096 tokens); too long for the starter's 256.
    const long = await openai.files.create({ file: await toFile(Buffer.from(`${chat("q".repeat(400), "a")}\n`), "long.jsonl"), purpose: "fine-tune" });
    const tooLong = await create({ training_file: long.id });
    expect([tooLong.status, tooLong.param]).toEqual([400, "training_file"]);
    expect(tooLong.message).toMatch(/has examples of up to \d+ tokens, longer than kindling-starter's context of 256 tokens/);

    expect(await allJobs(openai)).toEqual(before);
  });

  test("trains the starter on the sample, cancels a second job once, pages, lists events and checkpoints, and chats with the result", async ({ page }) => {
    const openai = await adminClient(page);
    const job = await openai.fineTuning.jobs.create({
      model: "kindling-starter",
      training_file: trainingFile,
      validation_file: validationFile,
      suffix: "e2e",
      seed: 7,
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 1, batch_size: 8, learning_rate_multiplier: 1 } } },
    });
    expect(job).toMatchObject({
      object: "fine_tuning.job",
      model: "kindling-starter",
      training_file: trainingFile,
      validation_file: validationFile,
      fine_tuned_model: null,
      seed: 7,
      user_provided_suffix: "e2e",
      hyperparameters: { n_epochs: 1, batch_size: 8, learning_rate_multiplier: 1 },
    });
    expect(job.id).toMatch(/^ftjob-/);
    expect(["queued", "running"]).toContain(job.status);

    // One training job runs at a time, so the second waits in the queue and is cancelled at once.
    const second = await openai.fineTuning.jobs.create({ model: "kindling-starter", training_file: trainingFile, hyperparameters: { n_epochs: 1 } });
    expect(second.status).toBe("queued");
    const cancelled = await openai.fineTuning.jobs.cancel(second.id);
    expect(cancelled).toMatchObject({ id: second.id, status: "cancelled", fine_tuned_model: null });
    expect(cancelled.finished_at).toEqual(expect.any(Number));
    const again = await errorOf(openai.fineTuning.jobs.cancel(second.id));
    expect(again.status).toBe(409);
    expect(again.message).toBe(`409 Fine-tuning job ${second.id} has already been cancelled; it cannot be cancelled.`);
    expect((await openai.fineTuning.jobs.retrieve(second.id)).status).toBe("cancelled");
    expect((await errorOf(openai.fineTuning.jobs.retrieve("ftjob-nope"))).status).toBe(404);

    // Pages: newest first, one at a time.
    const first = await openai.fineTuning.jobs.list({ limit: 1 });
    expect(first.data.map((j) => j.id)).toEqual([second.id]);
    expect(first.has_more).toBe(true);
    const next = await first.getNextPage();
    expect(next.data.map((j) => j.id)).toEqual([job.id]);

    let current = job;
    const statuses = new Set<string>();
    await expect
      .poll(
        async () => {
          current = await openai.fineTuning.jobs.retrieve(job.id);
          statuses.add(current.status);
          return current.status;
        },
        { timeout: 540_000, intervals: [1_000, 2_000] },
      )
      .toMatch(/^(succeeded|failed|cancelled)$/);
    expect(current.error).toBeNull();
    expect(current.status).toBe("succeeded");
    expect(current.fine_tuned_model).toMatch(/^ft-kindling-starter-e2e-/);
    expect(current.trained_tokens).toBeGreaterThan(0);
    expect(current.finished_at).toBeGreaterThanOrEqual(current.created_at);

    const events = await openai.fineTuning.jobs.listEvents(job.id, { limit: 100 });
    const messages = events.data.map((e) => e.message);
    expect(messages[0]).toBe("Succeeded");
    expect(messages.at(-1)).toBe("Queued");
    expect(messages).toContain(`Registered ${current.fine_tuned_model} with the local engine`);
    expect(events.data.every((e) => e.object === "fine_tuning.job.event" && e.id.startsWith("ftevent-"))).toBe(true);
    const firstTwo = await openai.fineTuning.jobs.listEvents(job.id, { limit: 2 });
    expect(firstTwo.has_more).toBe(true);
    expect((await firstTwo.getNextPage()).data[0].id).toBe(events.data[2].id);

    const checkpoints = await openai.fineTuning.jobs.checkpoints.list(job.id, { limit: 100 });
    expect(checkpoints.data.length).toBeGreaterThan(0);
    const steps = checkpoints.data.map((c) => c.step_number);
    expect(steps).toEqual([...steps].sort((a, b) => b - a));
    expect(checkpoints.data[0]).toMatchObject({ object: "fine_tuning.job.checkpoint", fine_tuning_job_id: job.id, metrics: { step: steps[0] } });
    expect(checkpoints.data[0].metrics.train_loss).toBeGreaterThan(0);

    // The result answers at once on the gateway.
    const model = current.fine_tuned_model!;
    expect((await openai.models.list()).data.map((m) => m.id)).toContain(model);
    await expectAnswers(openai, model);

    // A job made through the API is the console's own job: its page shows it finished, with its loss curve.
    await page.goto(`/fine-tuning/jobs/${job.id}`);
    await expect(page.getByText("Succeeded", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("img", { name: /Loss curve over \d+ steps/ })).toBeVisible();
    if (process.env.E2E_SHOTS_DIR) {
      await page.screenshot({ path: path.join(process.env.E2E_SHOTS_DIR, "api-job-finished-light.png"), fullPage: true });
      await page.getByRole("button", { name: "Dark theme" }).click();
      await page.screenshot({ path: path.join(process.env.E2E_SHOTS_DIR, "api-job-finished-dark.png"), fullPage: true });
    }
  });

  test("trains a LoRA adapter on the starter and chats with it as fine_tuned_model; its page deploys it as an adapter on the base", async ({ page }) => {
    const openai = await adminClient(page);
    // Kindling's extra hyperparameter `method` picks LoRA; the client's types do not list it.
    const job = await openai.fineTuning.jobs.create({
      model: "kindling-starter",
      training_file: trainingFile,
      suffix: "e2e-lora",
      hyperparameters: { n_epochs: 1, method: "lora" } as OpenAI.FineTuning.JobCreateParams.Hyperparameters,
    });
    expect(job.hyperparameters).toMatchObject({ n_epochs: 1, method: "lora" });
    let current = job;
    await expect
      .poll(
        async () => {
          current = await openai.fineTuning.jobs.retrieve(job.id);
          return current.status;
        },
        { timeout: 540_000, intervals: [1_000, 2_000] },
      )
      .toMatch(/^(succeeded|failed|cancelled)$/);
    expect(current.error).toBeNull();
    expect(current.status).toBe("succeeded");
    const model = current.fine_tuned_model!;
    expect(model).toMatch(/^ft-kindling-starter-e2e-lora-/);
    // The adapter beside a sidecar naming its base, not a copy of the base.
    expect(statSync(path.join(MODELS_DIR, `${model}.gguf`)).size).toBeLessThan(500_000);
    expect(JSON.parse(readFileSync(path.join(MODELS_DIR, `${model}.lora.json`), "utf8"))).toEqual({ base: "kindling-starter", scale: 1 });
    expect((await openai.models.list()).data.map((m) => m.id)).toContain(model);
    await expectAnswers(openai, model);

    await page.goto(`/fine-tuning/jobs/${job.id}`);
    await expect(page.getByText(`Registered as ${model} with the local engine (kindling-starter with this job's LoRA adapter)`, { exact: false })).toBeVisible();
    await expect(page.getByRole("link", { name: "Compare in playground" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Deploy", exact: true })).toHaveCount(0);
    await screenshot(page, "lora-job-finished");

    // "Deploy as adapter": the new-deployment form on the base, this adapter attached under a short name.
    await page.getByRole("link", { name: "Deploy as adapter" }).click();
    await expect(page).toHaveURL(/\/deployments\/new\?model=.+&adapter=/);
    await expect(page.getByLabel("Base model").locator("option:checked")).toHaveText("kindling-starter");
    const adapterName = model.slice("ft-kindling-starter-".length);
    await expect(page.getByLabel("Adapter 1 name")).toHaveValue(adapterName);
    await expect(page.getByLabel("File")).toHaveValue(model);
    await screenshot(page, "deployments-new-adapter");
    await page.getByLabel("Name", { exact: true }).fill("lora-e2e");
    await page.getByLabel("Minimum replicas").fill("0");
    await page.getByRole("button", { name: "Create deployment" }).click();
    await expect(page).toHaveURL(/\/deployments\/lora-e2e$/);
    // Called at once through the gateway as <deployment>:<adapter>: a cold start, then the answer.
    const answer = await openai.chat.completions.create({ model: `lora-e2e:${adapterName}`, messages: [{ role: "user", content: "Hello" }], temperature: 0, max_tokens: 8 });
    expect(answer.model).toBe(`lora-e2e:${adapterName}`);
    expect(answer.choices[0].message.content).toBeTruthy();
    // A write with the session cookie carries the console's Origin and a JSON content type (the cross-site guard).
    const removed = await page.request.delete("/api/v1/deployments/lora-e2e", { headers: { Origin: new URL(page.url()).origin, "content-type": "application/json" } });
    expect(removed.status(), await removed.text()).toBe(200);
  });

  // Where Python and its `openai` package are present (KINDLING_PYTHON; see .ci/run).
  test("the official Python client uploads, trains, polls, lists events and checkpoints, cancels, and chats with the result", async ({ page }) => {
    const python = process.env.KINDLING_PYTHON || "python3";
    const probe = spawnSync(python, ["-c", "import openai"], { encoding: "utf8" });
    test.skip(probe.status !== 0, `no Python with the openai package (${python})`);
    await signIn(page, ADMIN);
    const env = { ...process.env, KINDLING_BASE_URL: `${new URL(page.url()).origin}/v1`, KINDLING_API_KEY: secret, KINDLING_TRAINING_FILE: SAMPLE_VAL };
    const run = spawnSync(python, [path.join(import.meta.dirname, "python_fine_tuning_check.py")], { env, encoding: "utf8", timeout: 590_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    // What Python saw is what the console holds.
    const job = await client(page, secret).fineTuning.jobs.retrieve(report.job.id);
    expect(job).toMatchObject({ status: "succeeded", fine_tuned_model: report.job.fine_tuned_model, trained_tokens: report.job.trained_tokens });
    expect((await client(page, secret).fineTuning.jobs.retrieve(report.cancelled)).status).toBe("cancelled");
  });

  test("a key whose owner became a viewer cannot create jobs", async ({ page, browser }) => {
    await signIn(page, ADMIN);
    const addMember = serverActionId("app/(console)/settings/members/actions.ts", "addMemberAction");
    const vera = { name: "vera", email: `vera-ft-${Date.now()}@kindling.test`, password: "member-pass-123", role: "member" };
    expect((await callServerAction(page.request, "/settings/members", addMember, [vera])).status).toBe(200);
    const context = await browser.newContext();
    const p = await context.newPage();
    await signIn(p, vera);
    const key = await createKey(p, "vera's key");
    await context.close();
    const members = (await (await page.request.get("/api/members")).json()) as { id: string; email: string }[];
    const changeRole = serverActionId("app/(console)/settings/members/actions.ts", "changeRoleAction");
    await callServerAction(page.request, "/settings/members", changeRole, [{ userId: members.find((m) => m.email === vera.email)!.id, role: "viewer" }]);
    const before = await allJobs(client(page, secret));
    // A viewer's key is refused before any role check (keys act for members and admins only).
    const refused = await errorOf(client(page, key).fineTuning.jobs.create({ model: "kindling-starter", training_file: trainingFile }));
    expect(refused.status).toBe(401);
    expect((refused.error as { code?: string }).code).toBe("invalid_api_key");
    expect(await allJobs(client(page, secret))).toEqual(before);
  });
});
