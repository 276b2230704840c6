import { describe, expect, it } from "vitest";
import { decideScale, type ConcurrencySample, type ScalingSettings } from "./autoscaler";

const settings: ScalingSettings = { minReplicas: 1, maxReplicas: 3, targetConcurrency: 4, scaleUpWindowS: 30, scaleDownWindowS: 60, scaleToZeroAfterS: null };
const T0 = 1_000_000;
const series = (values: number[], stepS = 10): ConcurrencySample[] => values.map((concurrency, i) => ({ at: T0 + i * stepS * 1000, concurrency }));
const end = (h: ConcurrencySample[]) => h[h.length - 1].at;

describe("decideScale", () => {
  it("scales up only when the load held over the whole up window, and says by how much", () => {
    const h = series([7.5, 7.4, 7.2, 7.5]);
    const d = decideScale({ now: end(h), current: 1, settings, history: h, lastActivityAt: end(h) });
    expect(d?.desired).toBe(2);
    expect(d?.reason).toMatch(/^concurrency 7\.4 > target 4 × 1 for 30 s$/);
  });

  it("does not scale up on a spike shorter than the window", () => {
    const h = series([1, 1, 1, 12]);
    expect(decideScale({ now: end(h), current: 1, settings, history: h, lastActivityAt: end(h) })).toBeNull();
  });

  it("waits for history to cover the window", () => {
    const h = series([12, 12]);
    expect(decideScale({ now: end(h), current: 1, settings, history: h, lastActivityAt: end(h) })).toBeNull();
  });

  it("never goes above max", () => {
    const h = series([40, 40, 40, 40]);
    expect(decideScale({ now: end(h), current: 1, settings, history: h, lastActivityAt: end(h) })?.desired).toBe(3);
  });

  it("scales down after the down window, not before", () => {
    const early = series([9, 1, 1, 1, 1]);
    expect(decideScale({ now: end(early), current: 3, settings, history: early, lastActivityAt: end(early) })).toBeNull();
    const h = series([9, 1, 1, 1, 1, 1, 1, 1]);
    const d = decideScale({ now: end(h), current: 3, settings, history: h, lastActivityAt: end(h) });
    expect(d?.desired).toBe(1);
    expect(d?.reason).toContain("for 60 s");
  });

  it("scales to zero after the idle time only with min 0", () => {
    const h = series([0, 0, 0, 0, 0, 0, 0]);
    const idle = { now: end(h), current: 1, history: h, lastActivityAt: end(h) - 301_000 };
    expect(decideScale({ ...idle, settings: { ...settings, scaleToZeroAfterS: 300 } })).toBeNull();
    const d = decideScale({ ...idle, settings: { ...settings, minReplicas: 0, scaleToZeroAfterS: 300 } });
    expect(d).toMatchObject({ desired: 0, kind: "scaled_to_zero" });
    expect(d?.reason).toBe("no requests for 301 s (scale to zero after 300 s)");
  });

  it("leaves a deployment at zero alone (traffic wakes it)", () => {
    const h = series([0, 0, 0, 0]);
    expect(decideScale({ now: end(h), current: 0, settings: { ...settings, minReplicas: 0 }, history: h, lastActivityAt: 0 })).toBeNull();
  });

  it("brings the count inside a new [min, max] at once", () => {
    const h = series([0]);
    expect(decideScale({ now: end(h), current: 3, settings: { ...settings, maxReplicas: 2 }, history: h, lastActivityAt: end(h) })?.desired).toBe(2);
    expect(decideScale({ now: end(h), current: 1, settings: { ...settings, minReplicas: 2 }, history: h, lastActivityAt: end(h) })?.desired).toBe(2);
  });
});
