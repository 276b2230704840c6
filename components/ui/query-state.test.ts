import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { QueryState, type QueryStateProps } from "./query-state";

type Query = QueryStateProps<string[]>["query"];
const base: Query = { data: undefined, error: null, isPending: false, isError: false, isFetching: false, refetch: async () => ({}) as never };

function render(query: Partial<Query>, extra: Partial<QueryStateProps<string[]>> = {}) {
  // QueryState uses no hooks, so calling it directly renders what React would.
  return renderToStaticMarkup(
    QueryState<string[]>({
      query: { ...base, ...query },
      what: "members",
      empty: createElement("p", null, "Nobody yet"),
      children: (data) => createElement("ul", null, data.join(",")),
      ...extra,
    }),
  );
}

describe("QueryState", () => {
  it("draws the loading placeholder while pending", () => {
    expect(render({ isPending: true })).toContain('aria-busy="true"');
    expect(render({ isPending: true }, { loading: createElement("i", null, "shaped") })).toBe("<i>shaped</i>");
  });

  it("draws the error with its message and a retry", () => {
    const html = render({ isError: true, error: new Error("server down") });
    expect(html).toContain("Could not load members: server down");
    expect(html).toContain("Try again");
    expect(html).not.toContain("<ul>");
  });

  it("keeps the last good data under a failed refetch", () => {
    const html = render({ isError: true, error: new Error("offline"), data: ["a"] });
    expect(html).toContain("Could not load members: offline");
    expect(html).toContain("<ul>a</ul>");
  });

  it("draws the empty state for an empty list, the content otherwise", () => {
    expect(render({ data: [] })).toBe("<p>Nobody yet</p>");
    expect(render({ data: ["a", "b"] })).toBe("<ul>a,b</ul>");
    expect(render({ data: ["x"] }, { isEmpty: (d) => d[0] === "x" })).toBe("<p>Nobody yet</p>");
  });
});
