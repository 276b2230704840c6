// Measured load of a replica, from its engine's Prometheus /metrics text, and the figures built on it
// (requests per minute, TTFT percentiles, error rate). Pure: the reconciler scrapes, this computes.

/** The engine's TTFT histogram bounds in seconds (lib/engine/metrics.ts), plus +Inf last. */
export const TTFT_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, Infinity];

export interface EngineScrape {
  /** Inference requests answered (chat and completions), any status. */
  requests: number;
  /** Of which failed on the engine's side (status >= 500, including 503 queue full). */
  errors: number;
  /** Cumulative TTFT bucket counts, one per TTFT_BUCKETS_S entry. */
  ttftCumulative: number[];
  active: number;
  queued: number;
}

const INFERENCE_ENDPOINTS = new Set(["/v1/chat/completions", "/v1/completions"]);

export function parseEngineMetrics(text: string): EngineScrape {
  const out: EngineScrape = { requests: 0, errors: 0, ttftCumulative: TTFT_BUCKETS_S.map(() => 0), active: 0, queued: 0 };
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line.trim());
    if (!m) continue;
    const [, name, labelText = "", raw] = m;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (name === "kindling_engine_requests_total" && INFERENCE_ENDPOINTS.has(labels.endpoint)) {
      out.requests += value;
      if (Number(labels.status) >= 500) out.errors += value;
    } else if (name === "kindling_engine_time_to_first_token_seconds_bucket") {
      const le = labels.le === "+Inf" ? Infinity : Number(labels.le);
      const i = TTFT_BUCKETS_S.indexOf(le);
      if (i >= 0) out.ttftCumulative[i] = value;
    } else if (name === "kindling_engine_active_sequences") out.active = value;
    else if (name === "kindling_engine_queue_depth") out.queued = value;
  }
  return out;
}

export interface ScrapeDelta {
  requests: number;
  errors: number;
  /** Per-bucket counts in the interval (not cumulative). */
  ttftBuckets: number[];
}

/** What happened between two scrapes of one replica; a counter that went down means the process restarted. */
export function scrapeDelta(prev: EngineScrape | undefined, cur: EngineScrape): ScrapeDelta {
  const reset = !prev || cur.requests < prev.requests || cur.ttftCumulative[cur.ttftCumulative.length - 1] < prev.ttftCumulative[prev.ttftCumulative.length - 1];
  const base = reset ? undefined : prev;
  const cum = cur.ttftCumulative.map((c, i) => c - (base?.ttftCumulative[i] ?? 0));
  return {
    requests: cur.requests - (base?.requests ?? 0),
    errors: cur.errors - (base?.errors ?? 0),
    ttftBuckets: cum.map((c, i) => c - (i > 0 ? cum[i - 1] : 0)),
  };
}

export function addBuckets(a: number[], b: number[]): number[] {
  return TTFT_BUCKETS_S.map((_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/** Quantile (0..1) in ms from per-bucket counts, interpolated inside the bucket as Prometheus does; null without data. */
export function histogramQuantileMs(buckets: number[], q: number): number | null {
  const total = buckets.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < TTFT_BUCKETS_S.length; i++) {
    const n = buckets[i] ?? 0;
    if (seen + n >= rank && n > 0) {
      const upper = TTFT_BUCKETS_S[i];
      const lower = i === 0 ? 0 : TTFT_BUCKETS_S[i - 1];
      // Past the last finite bound there is nothing to interpolate to: report that bound.
      if (!Number.isFinite(upper)) return lower * 1000;
      return (lower + (upper - lower) * ((rank - seen) / n)) * 1000;
    }
    seen += n;
  }
  return TTFT_BUCKETS_S[TTFT_BUCKETS_S.length - 2] * 1000;
}

export interface WindowStats {
  requestsPerMinute: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Failed / all requests, null without requests. */
  errorRate: number | null;
  requests: number;
}

/** Figures over a set of samples covering `windowS` seconds (or less, when the deployment is younger). */
export function summarizeSamples(samples: { intervalS: number; requests: number; errors: number; ttftBuckets: number[] }[]): WindowStats {
  const covered = samples.reduce((s, x) => s + x.intervalS, 0);
  const requests = samples.reduce((s, x) => s + x.requests, 0);
  const errors = samples.reduce((s, x) => s + x.errors, 0);
  const buckets = samples.reduce((acc, x) => addBuckets(acc, x.ttftBuckets), TTFT_BUCKETS_S.map(() => 0));
  return {
    requestsPerMinute: covered > 0 ? (requests / covered) * 60 : 0,
    ttftP50Ms: histogramQuantileMs(buckets, 0.5),
    ttftP95Ms: histogramQuantileMs(buckets, 0.95),
    errorRate: requests > 0 ? errors / requests : null,
    requests,
  };
}
