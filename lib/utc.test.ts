import { describe, expect, it } from "vitest";
import { formatUtc } from "./utc";

describe("formatUtc", () => {
  const iso = "2026-12-03T16:28:05.123Z";

  it("gives the moment in UTC at each precision", () => {
    expect(formatUtc(iso, "day")).toBe("2026-12-03");
    expect(formatUtc(iso, "minute")).toBe("2026-12-03 16:28");
    expect(formatUtc(iso, "second")).toBe("2026-12-03 16:28:05");
    expect(formatUtc(iso, "time")).toBe("16:28:05");
  });

  it("reads an offset as the same moment in UTC", () => {
    expect(formatUtc("2026-12-03T18:28:05+02:00", "second")).toBe("2026-12-03 16:28:05");
  });

  it("shows nothing for a value that is not a date", () => {
    expect(formatUtc("soon", "minute")).toBe("");
  });
});
