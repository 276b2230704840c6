import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { When } from "./when";

describe("When", () => {
  const iso = "2026-12-03T16:28:05.123Z";

  it("renders a <time> with the machine-readable value and the full moment as its tooltip", () => {
    const html = renderToStaticMarkup(createElement(When, { iso, precision: "time" }));
    expect(html).toBe(`<time dateTime="${iso}" title="2026-12-03 16:28:05 UTC">16:28:05</time>`);
  });

  it("gives an unreadable value no tooltip rather than a bare \"UTC\"", () => {
    expect(renderToStaticMarkup(createElement(When, { iso: "soon" }))).toBe(`<time dateTime="soon"></time>`);
  });
});
