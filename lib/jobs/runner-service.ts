// The job runner as a background service of the console: started after migrations, stopped on
// SIGTERM/SIGINT, when it hands the jobs it was running back to the queue to resume elsewhere or later.
import "server-only";
import type { BackgroundService } from "@/lib/bootstrap/services";
import { getJobRunner } from "./registry";

export const jobRunnerService: BackgroundService = {
  name: "jobs",
  async start(): Promise<void> {
    getJobRunner().start();
  },
  async stop(): Promise<void> {
    await getJobRunner().stop();
  },
};
