// Where a fine-tuning job runs. The local trainer implements this today; a remote service (Together,
// Fireworks, OpenAI) can implement it by submitting the job in run() and following it until it ends,
// reporting the same progress, so the queue, the pages and the OpenAI API need not change.
import type { FineTuningSpec } from "./schemas";

export interface TrainingPoint {
  step: number;
  totalSteps: number;
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  learningRate: number;
  tokens: number;
  tokensPerSecond: number;
  etaSeconds: number;
}

export interface ResolvedSpec extends FineTuningSpec {
  basePath: string;
  contextLength: number;
  trainFile: string;
  validationFile: string | null;
  /** The name the result is registered under. */
  fineTunedModel: string;
  /** Save a checkpoint every this many steps. */
  checkpointEvery: number;
}

export interface BackendRun {
  jobId: string;
  /** A directory the backend may keep state in across attempts (checkpoints). */
  workDir: string;
  /** Aborted on cancel or shutdown: stop soon, keeping a checkpoint to resume from. */
  signal: AbortSignal;
  onProgress(point: TrainingPoint): void;
  onCheckpoint(checkpoint: { step: number; trainLoss: number; valLoss: number | null }): void;
  event(message: string, data?: Record<string, unknown>): Promise<void>;
}

export type BackendOutcome =
  | {
      status: "completed";
      /** The written model: a full GGUF, or for LoRA an adapter GGUF for the base. */
      outputFile: string;
      steps: number;
      tokens: number;
      seconds: number;
      tokensPerSecond: number;
      trainLoss: number;
      valLoss: number | null;
    }
  | { status: "stopped"; steps: number };

export interface FineTuningBackend {
  readonly id: string;
  readonly label: string;
  run(spec: ResolvedSpec, run: BackendRun): Promise<BackendOutcome>;
}
