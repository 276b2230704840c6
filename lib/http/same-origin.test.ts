import { describe, expect, it } from "vitest";
import { crossOriginWriteError } from "./same-origin";

const h = (init: Record<string, string>) => new Headers(init);
const json = { "content-type": "application/json" };

describe("crossOriginWriteError", () => {
  it("accepts the console's own origin, by Host or by KINDLING_PUBLIC_URL", () => {
    expect(crossOriginWriteError(h({ ...json, host: "127.0.0.1:3300", origin: "http://127.0.0.1:3300" }), undefined)).toBeNull();
    expect(crossOriginWriteError(h({ ...json, host: "10.0.0.5:3000", origin: "https://console.example.com" }), "https://console.example.com/")).toBeNull();
    expect(crossOriginWriteError(h({ "content-type": "application/json; charset=utf-8", host: "a:1", "sec-fetch-site": "same-origin" }), undefined)).toBeNull();
  });

  it("refuses another port of the same host, another site, a null origin and a missing origin", () => {
    for (const headers of [
      { ...json, host: "127.0.0.1:3300", origin: "http://127.0.0.1:3301" },
      { ...json, host: "127.0.0.1:3300", origin: "http://evil.example" },
      { ...json, host: "127.0.0.1:3300", origin: "null" },
      { ...json, host: "127.0.0.1:3300" },
      { ...json, host: "127.0.0.1:3300", "sec-fetch-site": "same-site" },
    ]) {
      expect(crossOriginWriteError(h(headers), "http://localhost:3300")?.code).toBe("FORBIDDEN");
    }
  });

  it("accepts a raw upload, which needs a CORS preflight like JSON does", () => {
    expect(crossOriginWriteError(h({ host: "a:1", origin: "http://a:1", "content-type": "application/octet-stream" }), undefined)).toBeNull();
  });

  it("refuses a body that a cross-site form could send", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const error = crossOriginWriteError(h({ host: "a:1", origin: "http://a:1", ...(type ? { "content-type": type } : {}) }), undefined);
      expect(error?.code).toBe("VALIDATION");
      expect(error?.fieldErrors).toHaveProperty("content-type");
    }
  });
});
