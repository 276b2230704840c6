import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PGlite } from "@electric-sql/pglite";
import OpenAI from "openai";
import { readLockHolder } from "@/db/data-dir-lock";
import { startConsole, waitHealthy, type ConsoleProcess } from "./console-process";

// kill -9 of `npm start` while it trains, then `npm start` again on the same data directory: the
// trainer does not outlive the console, the job resumes from its checkpoint (no step done twice),
// succeeds, and ends exactly where an uninterrupted run of the same spec ends (the trainer is
// deterministic: same data order, same AdamW state, same split across its threads).
const PORT = Number(process.env.E2E_PORT || 3210) + 40;
const dataDir = path.join(process.cwd(), ".data", `e2e-resume-${PORT}`);
const KEY = `kdl_${"resume-test-key-".repeat(3).slice(0, 43)}`;
const ENV = {
  KINDLING_DATA_DIR: dataDir,
  KINDLING_ADMIN_EMAIL: "resume@kindling.test",
  KINDLING_ADMIN_PASSWORD: "resume-pass-123",
  KINDLING_INIT_API_KEY: KEY,
};
const TRAIN_LINES = 400;

/** Pids of trainer processes working in `workDir` (their command line names the checkpoint in it). */
function trainerPids(workDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (state !== "Z" && cmd.some((a) => a.endsWith("lib/training/cli.ts")) && cmd.some((a) => a.startsWith(workDir))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function checkpointStep(file: string): number {
  const buf = readFileSync(file);
  return (JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString()) as { step: number }).step;
}

async function withDatabase<T>(fn: (pg: PGlite) => Promise<T>): Promise<T> {
  const pg = new PGlite(path.join(dataDir, "pglite"));
  try {
    return await fn(pg);
  } finally {
    await pg.close();
  }
}

async function finished(openai: OpenAI, id: string, timeout: number): Promise<OpenAI.FineTuning.FineTuningJob> {
  let job: OpenAI.FineTuning.FineTuningJob | null = null;
  await expect
    .poll(async () => (job = await openai.fineTuning.jobs.retrieve(id)).status, { timeout, intervals: [1_000, 2_000] })
    .toMatch(/^(succeeded|failed|cancelled)$/);
  return job!;
}

test("kill -9 of the console mid-job: the job resumes from its checkpoint and ends where an uninterrupted run ends", async () => {
  // Two training runs, two console starts and a lease to expire, on a shared 2-core machine.
  test.setTimeout(1_500_000);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const sample = readFileSync(path.resolve("assets/starter/finetune-csv.train.jsonl"), "utf8").trim().split("\n");
  const val = readFileSync(path.resolve("assets/starter/finetune-csv.val.jsonl"), "utf8").trim().split("\n");
  writeFileSync(path.join(dataDir, "train.jsonl"), `${sample.slice(0, TRAIN_LINES).join("\n")}\n`);
  writeFileSync(path.join(dataDir, "val.jsonl"), `${val.slice(0, 10).join("\n")}\n`);

  let proc: ConsoleProcess | null = startConsole(PORT, ENV);
  try {
    await waitHealthy(proc);
    let openai = new OpenAI({ apiKey: KEY, baseURL: `${proc.baseUrl}/v1`, maxRetries: 0 });
    const upload = async (name: string) =>
      (await openai.files.create({ file: new File([readFileSync(path.join(dataDir, name))], name), purpose: "fine-tune" })).id;
    const spec = {
      model: "kindling-starter",
      training_file: await upload("train.jsonl"),
      validation_file: await upload("val.jsonl"),
      seed: 3,
      method: { type: "supervised" as const, supervised: { hyperparameters: { n_epochs: 1, batch_size: 8, learning_rate_multiplier: 1 } } },
    };
    const job = await openai.fineTuning.jobs.create({ ...spec, suffix: "resumed" });
    const workDir = path.join(dataDir, "fine-tuning", job.id);

    // Past its first checkpoint (recorded only after the trainer wrote it), then kill -9 the server
    // process itself: the lock holder, not the tsx wrapper that started it.
    await expect
      .poll(async () => (await openai.fineTuning.jobs.checkpoints.list(job.id)).data.length, { timeout: 600_000, intervals: [250] })
      .toBeGreaterThan(0);
    const trainers = trainerPids(workDir);
    expect(trainers).toHaveLength(1);
    const serverPid = readLockHolder(dataDir);
    expect(serverPid).toBeGreaterThan(0);
    const killedAt = Date.now();
    process.kill(serverPid!, "SIGKILL");
    await proc.exited;
    proc = null;

    // The trainer notices the closed IPC channel, saves its checkpoint after the step in flight and exits.
    await expect.poll(() => trainerPids(workDir), { timeout: 60_000, intervals: [250] }).toEqual([]);
    const savedStep = checkpointStep(path.join(workDir, "job.ckpt"));
    const before = await withDatabase(async (pg) => {
      const { rows } = await pg.query<{ step: number }>("select step from fine_tuning_metrics where job_id = $1 order by step", [job.id]);
      const { rows: jobRows } = await pg.query<{ status: string; progress: { totalSteps: number } }>("select status, progress from jobs where id = $1", [job.id]);
      return { steps: rows.map((r) => r.step), status: jobRows[0].status, totalSteps: jobRows[0].progress.totalSteps };
    });
    expect(before.status).toBe("running");
    expect(before.steps.length).toBeGreaterThan(0);
    // Mid-job, and the checkpoint covers every point the curve already shows.
    expect(savedStep).toBeGreaterThanOrEqual(before.steps.at(-1)!);
    expect(savedStep).toBeLessThan(before.totalSteps);

    proc = startConsole(PORT, ENV);
    await waitHealthy(proc);
    const restartedAt = Date.now();
    openai = new OpenAI({ apiKey: KEY, baseURL: `${proc.baseUrl}/v1`, maxRetries: 0 });
    const resumed = await finished(openai, job.id, 900_000);
    expect(resumed.error).toBeNull();
    expect(resumed.status).toBe("succeeded");
    const messages = (await openai.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data.map((e) => e.message);
    expect(messages).toContain(`Resuming from the checkpoint at step ${savedStep}`);

    // The same spec, uninterrupted, on the restarted console.
    const reference = await finished(openai, (await openai.fineTuning.jobs.create({ ...spec, suffix: "reference" })).id, 900_000);
    expect(reference.status).toBe("succeeded");
    expect(restartedAt).toBeGreaterThan(killedAt);

    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
    proc = null;
    await withDatabase(async (pg) => {
      type Point = { step: number; train_loss: number; val_loss: number | null; at: Date };
      const points = async (id: string) =>
        (await pg.query<Point>("select step, train_loss, val_loss, at from fine_tuning_metrics where job_id = $1 order by step", [id])).rows;
      type Row = { attempts: number; result: { steps: number; trainLoss: number; valLoss: number | null } };
      const row = async (id: string) => (await pg.query<Row>("select attempts, result from jobs where id = $1", [id])).rows[0];
      const [curve, refCurve, resumedRow, refRow] = [await points(job.id), await points(reference.id), await row(job.id), await row(reference.id)];

      // (a) The curve continues from the checkpoint: every point up to it was written before the kill
      // (a redone step would have replaced its point), every later one after it, none missing.
      expect(resumedRow.attempts).toBe(2);
      for (const p of curve.filter((p) => p.step <= savedStep)) expect(p.at.getTime()).toBeLessThan(killedAt);
      const after = curve.filter((p) => p.step > savedStep);
      expect(after.map((p) => p.step)).toEqual(Array.from({ length: before.totalSteps - savedStep }, (_, i) => savedStep + 1 + i));
      for (const p of after) expect(p.at.getTime()).toBeGreaterThan(killedAt);
      // (b) and (c): it succeeded where the uninterrupted run did, on the same curve after the resume.
      expect(resumedRow.result.steps).toBe(before.totalSteps);
      expect(refRow.result.steps).toBe(before.totalSteps);
      expect(resumedRow.result.trainLoss).toBe(refRow.result.trainLoss);
      expect(resumedRow.result.valLoss).toBe(refRow.result.valLoss);
      const refAt = new Map(refCurve.map((p) => [p.step, p]));
      for (const p of curve) {
        expect(p.train_loss, `train loss at step ${p.step}`).toBe(refAt.get(p.step)!.train_loss);
        expect(p.val_loss, `validation loss at step ${p.step}`).toBe(refAt.get(p.step)!.val_loss);
      }
    });
    expect(existsSync(path.join(workDir, "job.ckpt"))).toBe(false);
  } finally {
    if (proc) {
      const pid = readLockHolder(dataDir);
      if (pid) process.kill(pid, "SIGKILL");
      proc.child.kill("SIGKILL");
      await proc.exited;
    }
  }
});
