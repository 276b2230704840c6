// What the playground's browser receives, one JSON object per SSE `data:` line. Types only, with no
// server imports, so client components may import this module.

export interface CallMetrics {
  requestId: string;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  totalMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  finishReason: string | null;
}

export type PlaygroundEvent =
  | { type: "start"; requestId: string }
  | { type: "delta"; content: string }
  | { type: "tool_call"; index: number; id?: string; name?: string; arguments?: string }
  | { type: "done"; metrics: CallMetrics; structured: { valid: boolean; error?: string } | null }
  | { type: "error"; code: string; message: string };
