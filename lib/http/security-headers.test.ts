import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { applySecurityHeaders, contentSecurityPolicy, NONCE_HEADER } from "./security-headers";

function apply(dev = false) {
  const set: Record<string, string> = {};
  const req = { headers: {} } as IncomingMessage;
  const res = { setHeader: (name: string, value: string) => (set[name] = value) } as unknown as ServerResponse;
  applySecurityHeaders(req, res, { dev });
  return { set, req };
}

describe("applySecurityHeaders", () => {
  it("gives every response a fresh nonce, the same one in its CSP and in the request header Next reads", () => {
    const nonces = new Set<string>();
    // More than one pool of random bytes (256 nonces), so a refill is crossed.
    for (let i = 0; i < 600; i++) {
      const { set, req } = apply();
      const nonce = req.headers[NONCE_HEADER] as string;
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(set["Content-Security-Policy"]).toBe(contentSecurityPolicy(nonce));
      expect(req.headers["content-security-policy"]).toBe(set["Content-Security-Policy"]);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(600);
  });

  it("sets the frame, sniffing and referrer headers, and the development policy in dev", () => {
    const { set, req } = apply(true);
    expect(set).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" });
    expect(set["Content-Security-Policy"]).toBe(contentSecurityPolicy(req.headers[NONCE_HEADER] as string, { dev: true }));
  });
});
