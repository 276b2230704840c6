import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Breakable } from "./breakable";

const html = (text: string) => renderToStaticMarkup(createElement(Breakable, { text }));

describe("Breakable", () => {
  it("offers a break after each comma, colon and opening bracket, and keeps the text as it was", () => {
    const json = '{"city":"Paris","tags":["a","b"]}';
    expect(html(json)).toBe('{<wbr/>&quot;city&quot;:<wbr/>&quot;Paris&quot;,<wbr/>&quot;tags&quot;:<wbr/>[<wbr/>&quot;a&quot;,<wbr/>&quot;b&quot;]}');
    expect(html(json).replaceAll("<wbr/>", "").replaceAll("&quot;", '"')).toBe(json);
  });

  it("leaves text without those characters alone", () => {
    expect(html("forty-two")).toBe("forty-two");
  });
});
