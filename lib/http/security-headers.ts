// Headers on every response of the console's HTTP server (pages, route handlers, the playground
// stream, static files). The Content-Security-Policy carries a fresh nonce per request: Next reads
// it from the request's own CSP header and puts it on its inline scripts, and the root layout puts
// it on the theme script, so no other script can run; images and connections stay on this origin,
// so model output cannot smuggle a conversation out in an image URL.
import { randomBytes } from "node:crypto";
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

export function securityHeaders(nonce: string, options: { dev?: boolean } = {}): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, options),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}

/** Sets the response headers and hands the nonce to Next through the request. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, options: { dev?: boolean } = {}): void {
  const nonce = randomBytes(16).toString("base64");
  const headers = securityHeaders(nonce, options);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  req.headers["content-security-policy"] = headers["Content-Security-Policy"];
  req.headers[NONCE_HEADER] = nonce;
}
