// Routes the console's HTTP server (lib/start/server.ts) answers itself, before Next.js sees the
// request. Only for hot paths where Next's request and response adaptation costs too much: the
// playground stream. Registered at start by lib/bootstrap/start-console.ts; one table per process,
// because the server and Next's bundles are separate module graphs.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, errorResponse } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";

export type DirectHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function routes(): Map<string, DirectHandler> {
  return processSingleton("kindling.direct-routes", () => new Map<string, DirectHandler>());
}

export function registerDirectRoute(method: string, pathname: string, handler: DirectHandler): void {
  routes().set(`${method.toUpperCase()} ${pathname}`, handler);
}

export function findDirectRoute(method: string | undefined, url: string | undefined): DirectHandler | undefined {
  if (!method || !url) return undefined;
  const q = url.indexOf("?");
  return routes().get(`${method.toUpperCase()} ${q < 0 ? url : url.slice(0, q)}`);
}

export function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** The request body as JSON; VALIDATION when it is not JSON, 413-style refusal past `limit` bytes. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError("VALIDATION", `The request body is larger than ${Math.round(limit / 1e6)} MB.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new AppError("VALIDATION", "The request body is not JSON.");
  }
}

/** Writes an error the way route handlers do (lib/errors errorResponse): same status and JSON. */
export async function sendError(res: ServerResponse, error: unknown): Promise<void> {
  const response = errorResponse(error);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(await response.text());
}
