import { describe, expect, it } from "vitest";
import { advanceWatermark } from "./rollup-watermark";

const now = new Date("2026-01-01T00:10:00Z");

describe("advanceWatermark", () => {
  it("moves to the last id read and remembers the ids skipped on the way", () => {
    expect(advanceWatermark(10, [], [11, 12, 15, 16, 20], [], now)).toEqual({
      watermark: 20,
      gaps: [
        { from: 13, to: 14, seenAt: now.toISOString() },
        { from: 17, to: 19, seenAt: now.toISOString() },
      ],
    });
  });

  it("stays put when nothing new arrived", () => {
    expect(advanceWatermark(7, [], [], [], now)).toEqual({ watermark: 7, gaps: [] });
  });

  it("splits a gap around the ids that showed up late and drops filled ones", () => {
    const seenAt = "2026-01-01T00:09:00Z";
    const out = advanceWatermark(30, [{ from: 3, to: 8, seenAt }, { from: 12, to: 12, seenAt }], [], [5, 12, 3], now);
    expect(out.gaps).toEqual([
      { from: 4, to: 4, seenAt },
      { from: 6, to: 8, seenAt },
    ]);
  });

  it("forgets gaps older than the expiry", () => {
    const out = advanceWatermark(30, [{ from: 3, to: 8, seenAt: "2026-01-01T00:00:00Z" }], [], [], now, 5 * 60_000);
    expect(out.gaps).toEqual([]);
  });
});
