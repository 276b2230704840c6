// Fine-tuning as a background service: hands the job runner its "fine-tune" handler at start.
// One training job at a time by default (the trainer uses both cores): KINDLING_TRAIN_CONCURRENCY.
import "server-only";
import type { BackgroundService } from "@/lib/bootstrap/services";
import { registerJobHandler } from "@/lib/jobs/registry";
import { createFineTuningHandler } from "./handler";
import { FINE_TUNING_JOB_KIND } from "./schemas";
import { trainConcurrency } from "@/lib/env";

function concurrency(): number {
  return trainConcurrency();
}

export const fineTuningService = {
  name: "fine-tuning",
  async start(): Promise<void> {
    // A lease of 30 s renewed every 2 s: after a kill -9 another start picks the job up within 30 s.
    registerJobHandler(FINE_TUNING_JOB_KIND, createFineTuningHandler(), { concurrency: concurrency(), leaseMs: 30_000, retryDelayMs: 5_000 });
  },
  async stop(): Promise<void> {},
} satisfies BackgroundService;
