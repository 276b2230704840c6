// The interface every deployment driver implements: run replicas somewhere, say how they are, and
// report their load. `local` runs engine processes on this machine; README.md maps it onto Kubernetes.
import type { EngineScrape } from "../metrics";

export interface ReplicaSpec {
  replicaId: string;
  /** Served model id (the deployment's name, so requests can say `model: <deployment>`). */
  modelName: string;
  modelPath: string;
  threads: number;
  parallel: number;
  contextSize: number | null;
  adapters: { name: string; path: string; scale: number }[];
}

export type DriverReplicaState = "starting" | "ready" | "restarting" | "failed" | "stopped";

export interface DriverReplicaStatus {
  replicaId: string;
  state: DriverReplicaState;
  pid?: number;
  port?: number;
  /** Restarts after crashes since the replica started (the driver restarts in place with backoff). */
  restarts: number;
  /** Why it failed or last crashed, with the last lines of its log. */
  error?: string;
  /** OpenAI base URL per variant: "" for the base model, else the adapter's name. */
  endpoints: Record<string, string | undefined>;
}

export interface DeploymentDriver {
  readonly name: string;
  /** Resolves once the replica serves; rejects with the reason when it cannot load. */
  start(spec: ReplicaSpec): Promise<DriverReplicaStatus>;
  stop(replicaId: string): Promise<void>;
  status(replicaId: string): DriverReplicaStatus | undefined;
  /** Every state change of every replica; returns the unsubscribe function. */
  onStatus(listener: (status: DriverReplicaStatus) => void): () => void;
  /** The replica's load and counters now, or null when it cannot be read. */
  scrape(replicaId: string): Promise<EngineScrape | null>;
}
