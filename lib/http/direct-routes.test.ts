import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { findDirectRoute, registerDirectRoute } from "./direct-routes";

describe("direct routes", () => {
  it("match exact paths and :param segments, ignoring the query, and leave the rest to Next", async () => {
    const seen: unknown[] = [];
    registerDirectRoute("GET", "/t/items", async () => void seen.push("list"));
    registerDirectRoute("GET", "/t/items/:id", async (_q, _s, params) => void seen.push(params));
    registerDirectRoute("POST", "/t/items/:id/cancel", async (_q, _s, params) => void seen.push(["cancel", params]));
    const call = (method: string, url: string) => findDirectRoute(method, url)?.({} as IncomingMessage, {} as ServerResponse);
    await call("GET", "/t/items?limit=2");
    await call("GET", "/t/items/ftjob-1%2Fx?x=1");
    await call("post", "/t/items/abc/cancel");
    expect(seen).toEqual(["list", { id: "ftjob-1/x" }, ["cancel", { id: "abc" }]]);
    expect(findDirectRoute("GET", "/t/items/abc/cancel")).toBeUndefined();
    expect(findDirectRoute("GET", "/t/items/")).toBeUndefined();
    expect(findDirectRoute("DELETE", "/t/items/abc")).toBeUndefined();
    expect(findDirectRoute("GET", "/t/items/%E0%A4%A")).toBeUndefined();
  });
});
