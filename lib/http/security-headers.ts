// Headers on every response of the console's HTTP server (pages, route handlers, the playground
// stream, static files). The Content-Security-Policy carries a fresh nonce per request: Next reads
// it from the request's own CSP header and puts it on its inline scripts, and the root layout puts
// it on the theme script, so no other script can run; images and connections stay on this origin,
// so model output cannot smuggle a conversation out in an image URL.
import { randomFillSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Request header the root layout reads the nonce from (always overwritten: a client cannot pick it). */
export const NONCE_HEADER = "x-kindling-nonce";

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // Development only: React's refresh runtime evaluates code, and Turbopack's HMR uses a websocket.
    `script-src 'self' 'nonce-${nonce}'${options.dev ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The headers besides the CSP; the same on every response. */
const FIXED_HEADERS: ReadonlyArray<[string, string]> = [
  ["X-Frame-Options", "DENY"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
];

const NONCE_BYTES = 16;
/** Random bytes for 256 nonces at a time: one call into the CSPRNG per 256 responses, not one each. */
const noncePool = { bytes: Buffer.alloc(NONCE_BYTES * 256), at: NONCE_BYTES * 256 };

function nextNonce(): string {
  if (noncePool.at === noncePool.bytes.length) {
    randomFillSync(noncePool.bytes);
    noncePool.at = 0;
  }
  noncePool.at += NONCE_BYTES;
  return noncePool.bytes.toString("base64", noncePool.at - NONCE_BYTES, noncePool.at);
}

/** The policy split around its nonce, built once per mode (this runs on every response, gateway calls included). */
function splitPolicy(dev: boolean): [string, string] {
  const marker = "\u0000nonce\u0000";
  const [before, after] = contentSecurityPolicy(marker, { dev }).split(marker);
  return [before, after];
}
const POLICY = { production: splitPolicy(false), dev: splitPolicy(true) };

/** Sets the response headers and hands the nonce to Next through the request. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, options: { dev?: boolean } = {}): void {
  const nonce = nextNonce();
  const [before, after] = options.dev ? POLICY.dev : POLICY.production;
  const policy = before + nonce + after;
  res.setHeader("Content-Security-Policy", policy);
  for (const [name, value] of FIXED_HEADERS) res.setHeader(name, value);
  req.headers["content-security-policy"] = policy;
  req.headers[NONCE_HEADER] = nonce;
}
