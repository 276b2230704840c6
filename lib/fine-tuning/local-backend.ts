// The local trainer as a fine-tuning backend: `npm run train`'s CLI in a child process with an IPC
// channel. The child saves a checkpoint and exits when asked to cancel, on SIGTERM, and when the
// channel closes because the console died (kill -9), so it never outlives us by more than a step.
import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { JobFailure } from "@/lib/jobs/runner";
import type { BackendOutcome, BackendRun, FineTuningBackend, ResolvedSpec, TrainingPoint } from "./backend";
import { trainNice, trainThreads } from "@/lib/env";

type TrainerMessage =
  | ({ type: "progress" } & Omit<TrainingPoint, "learningRate"> & { lr: number })
  | {
      type: "done";
      status: "completed" | "cancelled";
      steps: number;
      tokens: number;
      seconds: number;
      trainLoss: number;
      valLoss: number | null;
      tokensPerSecond: number;
      out: string | null;
    }
  | { type: "error"; message: string };

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function trainerCli(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "lib", "training", "cli.ts");
}

export function trainerThreads(): number {
  return trainThreads();
}

export function trainerArgs(spec: ResolvedSpec, workDir: string): string[] {
  const h = spec.hyperparameters;
  const args = [
    "--base", spec.basePath,
    "--data", spec.trainFile,
    "--method", spec.method,
    "--epochs", String(h.epochs),
    "--lr", String(h.learningRate),
    "--batch", String(h.batchSize),
    "--row-length", String(Math.min(h.maxLength, spec.contextLength)),
    "--warmup", String(h.warmup),
    "--seed", String(h.seed),
    "--threads", String(trainerThreads()),
    "--nice", String(trainNice()),
    "--checkpoint", path.join(workDir, "job.ckpt"),
    "--checkpoint-every", String(spec.checkpointEvery),
    "--resume",
    "--file-type", "f16",
    "--name", spec.fineTunedModel,
    "--out", path.join(workDir, spec.method === "lora" ? "adapter.gguf" : "model.gguf"),
  ];
  if (spec.validationFile) args.push("--val", spec.validationFile);
  if (spec.method === "lora") args.push("--rank", String(h.loraRank), "--alpha", String(h.loraAlpha));
  return args;
}

export const localBackend: FineTuningBackend = {
  id: "local",
  label: "This machine (local trainer)",
  run(spec: ResolvedSpec, run: BackendRun): Promise<BackendOutcome> {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // On any exit of ours, a trainer still running saves its checkpoint and stops (SIGTERM = cancel).
      process.on("exit", () => {
        for (const child of live) child.kill("SIGTERM");
      });
    }
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", trainerCli(), ...trainerArgs(spec, run.workDir)], {
        cwd: process.cwd(),
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        // Its own session, so the scheduler gives it its own CPU share rather than the console's.
        detached: true,
      });
      live.add(child);
      const stderr: string[] = [];
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (d: string) => {
        stderr.push(...d.split("\n").filter(Boolean));
        if (stderr.length > 20) stderr.splice(0, stderr.length - 20);
      });
      child.stdout!.resume();
      let done: Extract<TrainerMessage, { type: "done" }> | null = null;
      let error: string | null = null;
      let killTimer: NodeJS.Timeout | undefined;
      const stop = () => {
        if (child.connected) child.send({ type: "cancel" });
        else child.kill("SIGTERM");
        // A step takes well under a second; a trainer that does not stop is killed.
        killTimer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        killTimer.unref();
      };
      if (run.signal.aborted) stop();
      else run.signal.addEventListener("abort", stop, { once: true });

      child.on("message", (m: TrainerMessage) => {
        if (m.type === "progress") {
          const { lr, type: _type, ...rest } = m;
          void _type;
          run.onProgress({ ...rest, learningRate: lr });
          if (m.step % spec.checkpointEvery === 0) run.onCheckpoint({ step: m.step, trainLoss: m.trainLoss, valLoss: m.valLoss });
        } else if (m.type === "done") {
          done = m;
          if (m.status === "cancelled" && m.steps > 0) run.onCheckpoint({ step: m.steps, trainLoss: m.trainLoss, valLoss: m.valLoss });
        } else if (m.type === "error") {
          error = m.message;
        }
      });
      child.on("error", (e) => {
        live.delete(child);
        reject(new JobFailure(`could not start the trainer: ${e.message}`, { retry: true }));
      });
      child.on("exit", (code, signal) => {
        live.delete(child);
        clearTimeout(killTimer);
        run.signal.removeEventListener("abort", stop);
        const finished = done as Extract<TrainerMessage, { type: "done" }> | null;
        if (finished?.status === "completed" && finished.out && existsSync(finished.out)) {
          resolve({
            status: "completed",
            outputFile: finished.out,
            steps: finished.steps,
            tokens: finished.tokens,
            seconds: finished.seconds,
            tokensPerSecond: finished.tokensPerSecond,
            trainLoss: finished.trainLoss,
            valLoss: finished.valLoss,
          });
        } else if (finished?.status === "cancelled" || (run.signal.aborted && !error)) {
          resolve({ status: "stopped", steps: finished?.steps ?? 0 });
        } else if (error) {
          // The trainer refused its input (bad data, an untrainable base): retrying will not help.
          reject(new JobFailure(`the trainer stopped: ${error}`));
        } else {
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          reject(new JobFailure(`the trainer process ${how}${stderr.length ? `: ${stderr.slice(-3).join(" ")}` : ""}`, { retry: true }));
        }
      });
    });
  },
};
