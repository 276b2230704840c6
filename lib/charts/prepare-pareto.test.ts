import { describe, expect, it } from "vitest";
import { cheapestMeeting, coincidentLabels, dominates, logCostAxis, preparePareto, type ModelPoint } from "./prepare-pareto";

const p = (id: string, quality: number, costPer1k: number, p95 = 100): ModelPoint => ({ id, label: id, quality, costPer1k, p50TtftMs: p95 / 2, p95TtftMs: p95 });

describe("Pareto frontier", () => {
  const pts = [p("cheap", 0.6, 0.1), p("mid", 0.8, 0.5), p("bad", 0.7, 0.9), p("best", 0.95, 2), p("twin", 0.8, 0.5)];

  it("keeps exactly the undominated points, cheapest first", () => {
    const { frontier, points } = preparePareto(pts);
    expect(frontier.map((x) => x.id)).toEqual(["cheap", "mid", "twin", "best"]);
    expect(points.find((x) => x.id === "bad")!.onFrontier).toBe(false);
  });

  it("names the models drawn on one spot", () => {
    expect(coincidentLabels(pts)).toEqual([["mid", "twin"]]);
    expect(coincidentLabels([p("a", 0, 0), p("b", 0, 0), p("c", 0, 0.1)])).toEqual([["a", "b"]]);
    expect(coincidentLabels([p("a", 0.5, 0), p("b", 0.6, 0)])).toEqual([]);
  });

  it("names who dominates a point and how", () => {
    const bad = preparePareto(pts).points.find((x) => x.id === "bad")!;
    expect(bad.dominatedBy.map((d) => d.by).sort()).toEqual(["mid", "twin"]);
    expect(bad.dominatedBy[0].how).toBe("higher quality (0.80 vs 0.70) at lower cost ($0.50 vs $0.90 per 1,000 cases)");
  });

  it("equal points do not dominate each other; better on one axis and equal on the other does", () => {
    expect(dominates(p("a", 0.8, 0.5), p("b", 0.8, 0.5))).toBe(false);
    expect(dominates(p("a", 0.8, 0.4), p("b", 0.8, 0.5))).toBe(true);
    expect(preparePareto([p("a", 0.8, 0.4), p("b", 0.8, 0.5)]).points[1].dominatedBy[0].how).toBe("the same quality (0.80) at lower cost ($0.40 vs $0.50 per 1,000 cases)");
  });

  it("empty in, empty out", () => {
    expect(preparePareto([])).toEqual({ points: [], frontier: [] });
  });
});

describe("cheapest model meeting a bar", () => {
  const pts = [p("fast-cheap", 0.7, 0.1, 50), p("slow-good", 0.9, 0.2, 900), p("fast-good", 0.9, 0.6, 150), p("top", 0.99, 3, 120)];
  it("picks the cheapest above the quality bar within the latency budget", () => {
    expect(cheapestMeeting(pts, { minQuality: 0.85, maxP95TtftMs: 200 }).point?.id).toBe("fast-good");
    expect(cheapestMeeting(pts, { minQuality: 0.85 }).point?.id).toBe("slow-good");
    expect(cheapestMeeting(pts, { minQuality: 0.5 }).point?.id).toBe("fast-cheap");
  });
  it("says why nothing fits", () => {
    expect(cheapestMeeting(pts, { minQuality: 0.999 }).reason).toBe("No model reaches quality 0.999.");
    expect(cheapestMeeting(pts, { minQuality: 0.95, maxP95TtftMs: 100 }).reason).toMatch(/within 100 ms/);
  });
});

describe("log cost axis", () => {
  it("puts free models a decade under the cheapest priced one", () => {
    const axis = logCostAxis([{ costPer1k: 0 }, { costPer1k: 0.35 }, { costPer1k: 4 }]);
    expect(axis.floor).toBe(0.01);
    expect(axis.x(0)).toBe(0.01);
    expect(axis.x(0.35)).toBe(0.35);
    expect(axis.domain).toEqual([0.005, 10]);
    expect(axis.ticks).toEqual([0.01, 0.1, 1, 10]);
  });
  it("works when every model is free", () => {
    const axis = logCostAxis([{ costPer1k: 0 }, { costPer1k: 0 }]);
    expect(axis.x(0)).toBeGreaterThan(0);
    // One tick at the floor ("free"), not one per point under it.
    expect(axis.ticks.filter((t) => t <= axis.floor)).toEqual([axis.floor]);
  });
});
