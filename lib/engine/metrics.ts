// Prometheus text metrics for one engine process: requests, tokens, time to first token, load.

const TTFT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

/** One metric in the text format: its HELP and TYPE lines, then its samples as [suffix and labels, value]. */
function metric(name: string, type: "counter" | "gauge" | "histogram", help: string, samples: [string, number][]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([suffix, value]) => `${name}${suffix} ${value}`)];
}

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
      ...metric("kindling_engine_requests_total", "counter", "HTTP requests by endpoint and status.", [...this.requests].map(([labels, n]) => [`{${labels}}`, n])),
      ...metric("kindling_engine_prompt_tokens_total", "counter", "Prompt tokens evaluated.", [["", this.promptTokens]]),
      ...metric("kindling_engine_completion_tokens_total", "counter", "Tokens generated.", [["", this.completionTokens]]),
      ...metric("kindling_engine_time_to_first_token_seconds", "histogram", "Time from request to first generated token.", [
        ...TTFT_BUCKETS.map((b, i): [string, number] => [`_bucket{le="${b}"}`, this.ttftCounts[i]]),
        [`_bucket{le="+Inf"}`, this.ttftCount],
        ["_sum", this.ttftSum],
        ["_count", this.ttftCount],
      ]),
      ...metric("kindling_engine_active_sequences", "gauge", "Sequences generating now.", [["", g.active]]),
      ...metric("kindling_engine_queue_depth", "gauge", "Requests waiting for a free sequence.", [["", g.queued]]),
      ...metric("kindling_engine_parallel_sequences", "gauge", "Sequences in the context (--parallel).", [["", g.parallel]]),
    ];
    return lines.join("\n") + "\n";
  }
}
