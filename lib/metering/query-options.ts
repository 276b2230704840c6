// DTOs for stored usage rows (what /api/usage answers; charts and the playground read the same shape).
import type { UsageEvent } from "@/db/schema";

export interface UsageDto {
  requestId: string;
  at: string;
  source: string;
  /** The API key of a gateway call (its id, never the secret). */
  apiKeyId: string | null;
  providerName: string;
  modelName: string;
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  totalMs: number | null;
  costUsd: number | null;
  status: UsageEvent["status"];
  finishReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The deployment the request named (its replica or its failover answered), and the replica that did. */
  deployment: string | null;
  replicaId: string | null;
}
