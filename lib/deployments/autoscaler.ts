// The autoscaler's decision, pure: from measured concurrency samples and the deployment's settings,
// the replica count it should have now and a sentence saying why (for the event).
// Scale-up needs the load sustained over the whole up window (the smallest recommendation in it),
// scale-down needs it low over the whole down window (the largest), as Kubernetes' HPA stabilises.

export interface ScalingSettings {
  minReplicas: number;
  maxReplicas: number;
  targetConcurrency: number;
  scaleUpWindowS: number;
  scaleDownWindowS: number;
  scaleToZeroAfterS: number | null;
}

export interface ConcurrencySample {
  at: number;
  /** Active plus queued requests summed over ready replicas. */
  concurrency: number;
}

export interface ScaleDecision {
  desired: number;
  kind: "scaled" | "scaled_to_zero";
  reason: string;
  /** The measured figures behind the decision, for the event's details. */
  measured: { concurrency: number; windowS: number; idleS?: number };
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** Samples covering the last `windowS` seconds, or null when history does not reach that far back yet. */
function windowSamples(history: ConcurrencySample[], now: number, windowS: number): ConcurrencySample[] | null {
  if (history.length === 0) return null;
  if (windowS === 0) return [history[history.length - 1]];
  const from = now - windowS * 1000;
  if (history[0].at > from) return null;
  // Include the last sample at or before the window start: its value held from then on.
  const startIdx = history.findLastIndex((s) => s.at <= from);
  return history.slice(Math.max(startIdx, 0));
}

export function decideScale(input: {
  now: number;
  current: number;
  settings: ScalingSettings;
  history: ConcurrencySample[];
  /** ms timestamp of the last routed request (or the deployment's start when none yet). */
  lastActivityAt: number;
}): ScaleDecision | null {
  const { now, current, settings: s, history } = input;
  const floor = s.minReplicas;
  if (current === 0) return null; // Only traffic wakes a deployment at zero (a cold start).
  const recommend = (c: number) => Math.min(s.maxReplicas, Math.max(1, floor, Math.ceil(c / s.targetConcurrency - 1e-9)));

  const up = windowSamples(history, now, s.scaleUpWindowS);
  if (up) {
    const want = Math.min(...up.map((x) => recommend(x.concurrency)));
    if (want > current) {
      const avg = up.reduce((t, x) => t + x.concurrency, 0) / up.length;
      return {
        desired: want,
        kind: "scaled",
        reason: `concurrency ${fmt(avg)} > target ${fmt(s.targetConcurrency)} × ${current} for ${s.scaleUpWindowS} s`,
        measured: { concurrency: avg, windowS: s.scaleUpWindowS },
      };
    }
  }

  const idleS = (now - input.lastActivityAt) / 1000;
  const latest = history[history.length - 1];
  if (floor === 0 && s.scaleToZeroAfterS !== null && idleS >= s.scaleToZeroAfterS && (!latest || latest.concurrency === 0)) {
    return {
      desired: 0,
      kind: "scaled_to_zero",
      reason: `no requests for ${Math.round(idleS)} s (scale to zero after ${s.scaleToZeroAfterS} s)`,
      measured: { concurrency: 0, windowS: s.scaleToZeroAfterS, idleS },
    };
  }

  const down = windowSamples(history, now, s.scaleDownWindowS);
  if (down) {
    const want = Math.max(...down.map((x) => recommend(x.concurrency)));
    if (want < current) {
      const peak = Math.max(...down.map((x) => x.concurrency));
      return {
        desired: want,
        kind: "scaled",
        reason: `concurrency at most ${fmt(peak)} ≤ target ${fmt(s.targetConcurrency)} × ${want} for ${s.scaleDownWindowS} s`,
        measured: { concurrency: peak, windowS: s.scaleDownWindowS },
      };
    }
  }
  // Settings changed under it: bring the count back inside [min, max] at once.
  const clamped = Math.min(s.maxReplicas, Math.max(floor, current));
  if (clamped !== current) {
    return { desired: clamped, kind: "scaled", reason: `replicas must be between ${s.minReplicas} and ${s.maxReplicas}`, measured: { concurrency: latest?.concurrency ?? 0, windowS: 0 } };
  }
  return null;
}
