// The trainer as a job: resume follows the uninterrupted curve, cancel stops cleanly, bad input is
// refused with clear errors (every bad line numbered) and leaves no output file behind.
import { execFile, fork } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ASSISTANT_ID, END_ID, USER_ID, encodeText } from "../gguf/kindling-vocab";
import { writeGguf } from "../gguf/writer";
import { DatasetError, packExamples, parseJsonl, tokenizeConversation } from "./data";
import { starterExamples } from "./starter/tasks";
import { runTraining, type TrainOptions } from "./trainer";
import { exportModelGguf, PRESETS } from "./weights";
import { baseLayout, initParams } from "./model";

const dir = mkdtempSync(join(tmpdir(), "kindling-trainer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CLI = new URL("./cli.ts", import.meta.url).pathname;

const jsonl = (name: string, lines: string[]) => {
  const p = join(dir, name);
  writeFileSync(p, lines.join("\n") + "\n");
  return p;
};
const dataFile = jsonl("train.jsonl", starterExamples(5, 120).map((x) => JSON.stringify(x)));
const valFile = jsonl("val.jsonl", starterExamples(6, 16).map((x) => JSON.stringify(x)));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("data", () => {
  it("tokenizes a conversation as the chat template renders it, with loss on assistant tokens only", () => {
    const { tokens, loss } = tokenizeConversation([{ role: "user", content: "hi there" }, { role: "assistant", content: "ok" }]);
    expect(tokens).toEqual([USER_ID, ...encodeText("hi there"), END_ID, ASSISTANT_ID, ...encodeText("ok"), END_ID]);
    expect(loss).toEqual([0, ...encodeText("hi there").map(() => 0), 0, 0, 1, 1, 1]);
  });

  it("reads prompt/completion lines as a user turn and an assistant turn", () => {
    const [ex] = parseJsonl(`{"prompt":"2+2","completion":"4"}`, { contextLength: 64 });
    expect(Array.from(ex.tokens)).toEqual(tokenizeConversation([{ role: "user", content: "2+2" }, { role: "assistant", content: "4" }]).tokens);
  });

  it("reports every bad line with its number, including examples longer than the context", () => {
    const text = [
      `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}`,
      `{not json`,
      `{"messages":[{"role":"wizard","content":"a"}]}`,
      ``,
      `{"prompt":"x"}`,
      `{"prompt":"${"long ".repeat(30)}","completion":"y"}`,
    ].join("\n");
    let err: unknown;
    try { parseJsonl(text, { contextLength: 100, file: "d.jsonl" }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).issues.map((i) => i.line)).toEqual([2, 3, 5, 6]);
    expect((err as Error).message).toMatch(/line 6: example is \d+ tokens, longer than the model's context of 100 tokens/);
  });

  it("packs examples with positions restarting at 0 and attention confined to each example", () => {
    const exs = parseJsonl([`{"prompt":"ab","completion":"c"}`, `{"prompt":"d","completion":"ef"}`].join("\n"), { contextLength: 64 });
    const [row] = packExamples(exs, 64);
    const n0 = exs[0].tokens.length;
    expect(row.pos[n0]).toBe(0);
    expect(row.segStart[n0 + 1]).toBe(n0);
    expect(row.targets[n0 - 1]).toBe(-1); // no loss across the example boundary
  });
});

describe("jobs", () => {
  const opts = (extra: Partial<TrainOptions>): TrainOptions => ({ base: "tiny", data: dataFile, val: valFile, epochs: 2, batch: 2, lr: 3e-3, threads: 2, seed: 3, ...extra });

  it("a run cancelled and resumed from its checkpoint follows the uninterrupted curve", async () => {
    const full: number[] = [];
    const ref = await runTraining(opts({}), { onProgress: (p) => full.push(p.trainLoss) });
    expect(ref.status).toBe("completed");
    expect(full.at(-1)!).toBeLessThan(full[0]);

    const ckpt = join(dir, "job.ckpt");
    const ac = new AbortController();
    const first: number[] = [];
    const cut = Math.floor(full.length / 2);
    const part = await runTraining(opts({ checkpoint: ckpt }), {
      signal: ac.signal,
      onProgress: (p) => { first.push(p.trainLoss); if (p.step === cut) ac.abort(); },
    });
    expect(part.status).toBe("cancelled");
    expect(part.steps).toBe(cut);
    expect(existsSync(ckpt)).toBe(true);

    const rest: number[] = [];
    const steps: number[] = [];
    const resumed = await runTraining(opts({ checkpoint: ckpt, resume: true }), { onProgress: (p) => { rest.push(p.trainLoss); steps.push(p.step); } });
    expect(steps[0]).toBe(cut + 1);
    expect([...first, ...rest]).toEqual(full);
    expect(resumed.params).toEqual(ref.params);
    expect(resumed.valLoss).toBe(ref.valLoss);
  });

  it("refuses a checkpoint from a different job", async () => {
    const ckpt = join(dir, "other.ckpt");
    const ac = new AbortController();
    await runTraining(opts({ checkpoint: ckpt }), { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(runTraining(opts({ checkpoint: ckpt, resume: true, lr: 1e-2 }), {})).rejects.toThrow(/different job/);
  });
});

describe("CLI", () => {
  it("trains, prints progress lines and writes the GGUF", async () => {
    const out = join(dir, "cli.gguf");
    const r = await cli(["--base", "tiny", "--data", dataFile, "--epochs", "1", "--threads", "1", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step 1\/\d+ .*loss \d+\.\d+ .*tok\/s .*eta/);
    expect(r.stdout).toMatch(/done: .*wrote/);
    expect(readFileSync(out).readUInt32LE(0)).toBe(0x46554747);
  });

  it("as a child process, sends progress events and a summary over IPC", async () => {
    const out = join(dir, "ipc.gguf");
    const child = fork(CLI, ["--base", "tiny", "--data", dataFile, "--val", valFile, "--epochs", "1", "--threads", "1", "--out", out],
      { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    const messages: { type: string; step?: number; valLoss?: number | null; etaSeconds?: number; status?: string }[] = [];
    child.on("message", (m) => messages.push(m as (typeof messages)[number]));
    const code = await new Promise<number | null>((res) => child.on("exit", res));
    expect(code).toBe(0);
    const progress = messages.filter((m) => m.type === "progress");
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((m) => m.step)).toEqual(progress.map((_, i) => i + 1));
    expect(typeof progress.at(-1)!.valLoss).toBe("number");
    expect(progress.at(-1)!.etaSeconds).toBe(0);
    expect(messages.at(-1)).toMatchObject({ type: "done", status: "completed", out });
  });

  it("when its console dies (IPC channel and pipes closed mid-step), saves a checkpoint after the last step and exits", async () => {
    const ckpt = join(dir, "orphan.ckpt");
    const child = fork(CLI, ["--base", "tiny", "--data", dataFile, "--epochs", "2", "--batch", "2", "--threads", "1", "--checkpoint", ckpt, "--checkpoint-every", "1000", "--out", join(dir, "orphan.gguf")],
      { execArgv: ["--import", "tsx"], stdio: ["ignore", "pipe", "pipe", "ipc"] });
    const stderr: string[] = [];
    child.stderr!.on("data", (d) => stderr.push(String(d)));
    let seen = 0;
    const exited = new Promise<number | null>((res) => child.on("exit", res));
    await new Promise<void>((res) => child.on("message", (m: { type: string; step: number }) => {
      if (m.type !== "progress" || m.step < 3 || seen) return;
      seen = m.step;
      // As a kill -9 of the console leaves it: no channel, and nobody reading its stdout.
      child.stdout!.destroy();
      child.disconnect();
      res();
    }));
    expect(await exited).toBe(130);
    expect(stderr.join("")).toBe("");
    const header = readFileSync(ckpt);
    const { step } = JSON.parse(header.subarray(4, 4 + header.readUInt32LE(0)).toString()) as { step: number };
    // Periodic checkpoints are off (every 1000 steps): this one was written on the way out.
    expect(step).toBeGreaterThanOrEqual(seen);
  });

  it("malformed lines: every line numbered, non-zero exit, no output", async () => {
    const bad = jsonl("bad.jsonl", [`{"prompt":"a","completion":"b"}`, `oops`, `{"prompt":"a","completion":"b"}`, `{"messages":[]}`]);
    const out = join(dir, "bad.gguf");
    const r = await cli(["--base", "tiny", "--data", bad, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 bad lines/);
    expect(r.stderr).toMatch(/line 2: invalid JSON/);
    expect(r.stderr).toMatch(/line 4: "messages" must be a non-empty array/);
    expect(existsSync(out)).toBe(false);
  });

  it("a dataset longer than the context: the line is named", async () => {
    const long = jsonl("long.jsonl", [`{"prompt":"a","completion":"b"}`, JSON.stringify({ prompt: "x".repeat(300), completion: "y" })]);
    const out = join(dir, "long.gguf");
    const r = await cli(["--base", "tiny", "--data", long, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: example is 305 tokens, longer than the model's context of 256 tokens/);
    expect(existsSync(out)).toBe(false);
  });

  it("a quantized or non-llama GGUF base is refused", async () => {
    const cfg = PRESETS.tiny;
    const params = new Float32Array(baseLayout(cfg).total);
    initParams(cfg, params, 1);
    const quant = join(dir, "quant.gguf");
    await exportModelGguf(quant, cfg, params, { name: "q" });
    // Relabel one tensor as Q8_0 (ggml type 8) in the header, as a quantized file would be.
    const buf = readFileSync(quant);
    const at = buf.indexOf("blk.0.attn_q.weight") + "blk.0.attn_q.weight".length;
    buf.writeUInt32LE(8, at + 4 + 2 * 8);
    writeFileSync(quant, buf);
    const gpt2 = join(dir, "gpt2.gguf");
    await writeGguf(gpt2, { metadata: { "general.architecture": { type: "string", value: "gpt2" } }, tensors: [] });
    for (const [file, why] of [[quant, /quantized/], [gpt2, /architecture "gpt2" is not supported/]] as const) {
      const out = join(dir, "refused.gguf");
      const r = await cli(["--base", file, "--data", dataFile, "--out", out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: cannot train/);
      expect(r.stderr).toMatch(why);
      expect(existsSync(out)).toBe(false);
    }
  });
});
