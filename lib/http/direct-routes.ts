// Routes the console's HTTP server (lib/start/server.ts) answers itself, before Next.js sees the
// request: the playground stream and the OpenAI-compatible /v1 API (which needs multipart streaming
// and OpenAI's own error shapes). Registered at start by lib/bootstrap/start-console.ts; one table
// per process, because the server and Next's bundles are separate module graphs.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, errorResponse } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";

/** `params` holds the `:name` segments of a patterned route, decoded. */
export type DirectHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void>;

interface PatternRoute {
  method: string;
  /** The path up to its first `:name` segment: most requests (every page Next serves) fail this check. */
  prefix: string;
  segments: string[];
  handler: DirectHandler;
}

function routes(): Map<string, DirectHandler> {
  return processSingleton("kindling.direct-routes", () => new Map<string, DirectHandler>());
}

function patternRoutes(): PatternRoute[] {
  return processSingleton("kindling.direct-route-patterns", () => [] as PatternRoute[]);
}

/** `pathname` is exact (`/v1/files`) or has `:name` segments (`/v1/files/:id`), each matching one segment. */
export function registerDirectRoute(method: string, pathname: string, handler: DirectHandler): void {
  const key = `${method.toUpperCase()} ${pathname}`;
  if (!pathname.includes("/:")) {
    routes().set(key, handler);
    return;
  }
  const list = patternRoutes();
  const route = { method: method.toUpperCase(), prefix: pathname.slice(0, pathname.indexOf("/:") + 1), segments: pathname.split("/"), handler };
  const at = list.findIndex((r) => r.method === route.method && r.segments.join("/") === pathname);
  if (at >= 0) list[at] = route;
  else list.push(route);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(":")) {
      if (!actual[i]) return null;
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(actual[i]);
      } catch {
        return null;
      }
    } else if (pattern[i] !== actual[i]) {
      return null;
    }
  }
  return params;
}

/** The handler for a request, with its path parameters bound; undefined lets Next answer. */
export function findDirectRoute(method: string | undefined, url: string | undefined): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined {
  if (!method || !url) return undefined;
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  const upper = method.toUpperCase();
  const exact = routes().get(`${upper} ${pathname}`);
  if (exact) return (req, res) => exact(req, res, {});
  let actual: string[] | null = null;
  for (const route of patternRoutes()) {
    if (route.method !== upper || !pathname.startsWith(route.prefix)) continue;
    actual ??= pathname.split("/");
    const params = matchSegments(route.segments, actual);
    if (params) return (req, res) => route.handler(req, res, params);
  }
  return undefined;
}

export function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** The request body as JSON; VALIDATION when it is not JSON, 413-style refusal past `limit` bytes. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  // Events rather than `for await`: the async iterator costs more than the rest of a small body's read.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume();
        reject(new AppError("VALIDATION", `The request body is larger than ${Math.round(limit / 1e6)} MB.`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("error", reject);
    req.once("end", () => {
      if (size > limit) return;
      try {
        resolve(JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8")));
      } catch {
        reject(new AppError("VALIDATION", "The request body is not JSON."));
      }
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Writes an error the way route handlers do (lib/errors errorResponse): same status and JSON. */
export async function sendError(res: ServerResponse, error: unknown): Promise<void> {
  const response = errorResponse(error);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(await response.text());
}
