import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { formatWhen, When } from "./when";

describe("formatWhen", () => {
  const iso = "2026-12-03T16:28:05.123Z";

  it("gives the moment in UTC at each precision", () => {
    expect(formatWhen(iso, "day")).toBe("2026-12-03");
    expect(formatWhen(iso, "minute")).toBe("2026-12-03 16:28");
    expect(formatWhen(iso, "second")).toBe("2026-12-03 16:28:05");
    expect(formatWhen(iso, "time")).toBe("16:28:05");
  });

  it("reads an offset as the same moment in UTC", () => {
    expect(formatWhen("2026-12-03T18:28:05+02:00", "second")).toBe("2026-12-03 16:28:05");
  });

  it("shows nothing for a value that is not a date", () => {
    expect(formatWhen("soon", "minute")).toBe("");
  });

  it("renders a <time> with the machine-readable value and the full moment as its tooltip", () => {
    const html = renderToStaticMarkup(createElement(When, { iso, precision: "time" }));
    expect(html).toBe(`<time dateTime="${iso}" title="2026-12-03 16:28:05 UTC">16:28:05</time>`);
  });
});
