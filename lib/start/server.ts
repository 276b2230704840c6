// The HTTP server in front of Next.js, for two reasons. Next keeps a client-sent X-Forwarded-For
// as it is, so anyone could pick the address that sign-in rate limits count: here the socket's
// address is always appended (KINDLING_TRUSTED_PROXIES says how many hops to trust). And hot paths
// registered in lib/http/direct-routes.ts (the playground stream) are answered without Next.
import { createServer, type Server } from "node:http";
import path from "node:path";
import next from "next";
import { exitAfterFailedStart, onStopServing } from "@/lib/bootstrap/shutdown";
import { findDirectRoute } from "@/lib/http/direct-routes";
import { applySecurityHeaders } from "@/lib/http/security-headers";

/** How long requests in flight (streams) may run on after a shutdown begins before they are cut. */
const DRAIN_MS = 10_000;

export async function serve(options: { dev: boolean; port: number; hostname?: string }): Promise<void> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const app = next({ dev: options.dev, dir: root, port: options.port, hostname: options.hostname, turbopack: true });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    const socket = req.socket.remoteAddress ?? "unknown";
    const sent = req.headers["x-forwarded-for"];
    const chain = [...(Array.isArray(sent) ? sent : sent ? [sent] : []).flatMap((v) => v.split(",")), socket]
      .map((s) => s.trim())
      .filter(Boolean);
    req.headers["x-forwarded-for"] = chain.join(", ");
    // CSP (with this request's script nonce), frame and sniffing rules on every response, direct or Next.
    applySecurityHeaders(req, res, { dev: options.dev });
    // The playground stream is answered here, without Next's request/response adaptation.
    const direct = findDirectRoute(req.method, req.url);
    void (direct ? direct(req, res) : handle(req, res));
  });
  // Keep idle connections longer than clients and proxies do (Node's default is 5 s): a client that
  // reuses a connection the server is closing at that moment gets ECONNRESET (seen in the e2e suite).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, resolve);
  });
  onStopServing(() => stopServing(server));
  // Next runs instrumentation (migrations, bootstrap) on the first request: make that happen now,
  // so a start that cannot open its database fails at once rather than at a user's first visit.
  const local = `http://${options.hostname && options.hostname !== "0.0.0.0" ? options.hostname : "127.0.0.1"}:${options.port}`;
  const health = await fetch(`${local}/api/health`).catch((error: unknown) => error as Error);
  if (health instanceof Error || !health.ok) {
    console.error(`[kindling] the console did not become healthy: ${health instanceof Error ? health.message : `HTTP ${health.status}`}`);
    await exitAfterFailedStart();
  }
  console.log(`[kindling] serving on http://${options.hostname ?? "localhost"}:${options.port}`);
}

/** Stops accepting connections, lets requests in flight finish for up to DRAIN_MS, then cuts them. */
function stopServing(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    cut.unref();
  });
}
