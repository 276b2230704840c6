// Prometheus text metrics for one engine process: requests, tokens, time to first token, load.

const TTFT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

export class EngineMetrics {
  private requests = new Map<string, number>();
  promptTokens = 0;
  completionTokens = 0;
  private ttftCounts = new Array<number>(TTFT_BUCKETS.length).fill(0);
  private ttftSum = 0;
  private ttftCount = 0;

  constructor(private readonly gauges: () => { active: number; queued: number; parallel: number }) {}

  countRequest(endpoint: string, status: number): void {
    const key = `endpoint="${endpoint}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  observeTtft(seconds: number): void {
    for (let i = 0; i < TTFT_BUCKETS.length; i++) if (seconds <= TTFT_BUCKETS[i]) this.ttftCounts[i]++;
    this.ttftSum += seconds;
    this.ttftCount++;
  }

  render(): string {
    const g = this.gauges();
    const lines = [
      "# HELP kindling_engine_requests_total HTTP requests by endpoint and status.",
      "# TYPE kindling_engine_requests_total counter",
      ...[...this.requests].map(([labels, n]) => `kindling_engine_requests_total{${labels}} ${n}`),
      "# HELP kindling_engine_prompt_tokens_total Prompt tokens evaluated.",
      "# TYPE kindling_engine_prompt_tokens_total counter",
      `kindling_engine_prompt_tokens_total ${this.promptTokens}`,
      "# HELP kindling_engine_completion_tokens_total Tokens generated.",
      "# TYPE kindling_engine_completion_tokens_total counter",
      `kindling_engine_completion_tokens_total ${this.completionTokens}`,
      "# HELP kindling_engine_time_to_first_token_seconds Time from request to first generated token.",
      "# TYPE kindling_engine_time_to_first_token_seconds histogram",
      ...TTFT_BUCKETS.map((b, i) => `kindling_engine_time_to_first_token_seconds_bucket{le="${b}"} ${this.ttftCounts[i]}`),
      `kindling_engine_time_to_first_token_seconds_bucket{le="+Inf"} ${this.ttftCount}`,
      `kindling_engine_time_to_first_token_seconds_sum ${this.ttftSum}`,
      `kindling_engine_time_to_first_token_seconds_count ${this.ttftCount}`,
      "# HELP kindling_engine_active_sequences Sequences generating now.",
      "# TYPE kindling_engine_active_sequences gauge",
      `kindling_engine_active_sequences ${g.active}`,
      "# HELP kindling_engine_queue_depth Requests waiting for a free sequence.",
      "# TYPE kindling_engine_queue_depth gauge",
      `kindling_engine_queue_depth ${g.queued}`,
      "# HELP kindling_engine_parallel_sequences Sequences in the context (--parallel).",
      "# TYPE kindling_engine_parallel_sequences gauge",
      `kindling_engine_parallel_sequences ${g.parallel}`,
    ];
    return lines.join("\n") + "\n";
  }
}
