// HTTP to providers, safe against server-side request forgery: only http(s); the host is resolved
// once, every resolved address is checked (lib/providers/address-policy.ts), and the socket connects
// to exactly the checked address. Redirects are never followed. The body streams as a web Response.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { AppError } from "@/lib/errors";
import { checkAddress, checkHostName } from "./address-policy";

export interface ProviderFetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** Resolves a host name to all of its addresses (dns.lookup by default; tests inject their own). */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export interface ProviderFetchOptions {
  lookup?: HostLookup;
  /**
   * Time allowed to open the connection (TCP, and TLS for https); default 10 s. Only the connection:
   * a model may think for minutes before its first token, so the response itself has no timeout here.
   */
  connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const systemLookup: HostLookup = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

// Keep-alive pools: a TLS handshake per request would add tens of ms to every time to first token.
// Pooled sockets were all connected to addresses checked when they were opened.
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function refused(url: URL, reason: string): AppError {
  return new AppError("VALIDATION", `Kindling refuses to call ${url.host}: ${reason}.`);
}

/** Parses and checks a URL without touching the network (for base URL fields and the first step of providerFetch). */
export function checkProviderUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("VALIDATION", "That is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("VALIDATION", `Only http and https URLs are allowed, not ${url.protocol.replace(/:$/, "")}.`);
  }
  if (url.username || url.password) throw new AppError("VALIDATION", "Put credentials in the API key field, not in the URL.");
  const verdict = checkHostName(url.hostname);
  if (!verdict.allowed) throw refused(url, verdict.reason);
  return url;
}

async function resolveChecked(url: URL, lookup: HostLookup): Promise<LookupAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const family = isIP(host);
  if (family) {
    const verdict = checkAddress(host);
    if (!verdict.allowed) throw refused(url, verdict.reason);
    return { address: host, family };
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    throw new AppError("UPSTREAM", `Could not resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? "lookup failed"}.`, { cause: error });
  }
  if (addresses.length === 0) throw new AppError("UPSTREAM", `Could not resolve ${host}: no addresses.`);
  // One bad address refuses the name: a resolver could hand out either one at connect time.
  for (const a of addresses) {
    const verdict = checkAddress(a.address);
    if (!verdict.allowed) throw refused(url, `${host} resolves to ${verdict.reason}`);
  }
  return addresses[0];
}

function connectionError(url: URL, error: NodeJS.ErrnoException): AppError {
  if (error instanceof AppError) return error;
  const where = url.host;
  const text: Record<string, string> = {
    ECONNREFUSED: `Connection refused by ${where}: nothing is listening there.`,
    ECONNRESET: `${where} closed the connection.`,
    ETIMEDOUT: `Connecting to ${where} timed out.`,
    EHOSTUNREACH: `${where} is unreachable.`,
    ENETUNREACH: `The network of ${where} is unreachable.`,
  };
  const message = (error.code && text[error.code]) || `Could not reach ${where}: ${error.code ?? error.message}.`;
  return new AppError("UPSTREAM", message, { cause: error });
}

function toHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** Streams the body with backpressure; cancelling the stream destroys the socket. */
function bodyStream(res: IncomingMessage, destroy: (error?: Error) => void, signal?: AbortSignal): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (error: unknown) => {
          if (done) return;
          done = true;
          controller.error(signal?.aborted ? signal.reason : error);
        };
        res.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) res.pause();
        });
        res.on("end", () => {
          if (done) return;
          done = true;
          controller.close();
        });
        res.on("error", fail);
        res.on("close", () => fail(new AppError("UPSTREAM", "The provider closed the connection before the answer was complete.")));
      },
      pull() {
        res.resume();
      },
      cancel() {
        done = true;
        destroy();
      },
    },
    { highWaterMark: 16 },
  );
}

/**
 * fetch for provider calls. Refusals are AppError("VALIDATION"); network failures, redirects and an
 * unreadable answer are AppError("UPSTREAM"). An abort rejects with the signal's reason (AbortError or
 * TimeoutError), before or during the body.
 */
export async function providerFetch(rawUrl: string, init: ProviderFetchInit, options: ProviderFetchOptions = {}): Promise<Response> {
  const { res, destroy } = await providerRequest(rawUrl, init, options);
  const status = res.statusCode ?? 0;
  const responseBody = hasBody(res, init) ? bodyStream(res, destroy, init.signal) : null;
  return new Response(responseBody, { status, statusText: res.statusMessage, headers: toHeaders(res) });
}

/**
 * What providerStream answers: the part of a fetch Response that the inference path reads, over the
 * Node response itself. A web Response and its ReadableStream cost more CPU than the rest of a
 * gateway call to an instant upstream; this is the same answer without them.
 */
export interface ProviderStreamResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  /** The body's chunks (see nodeBody: a reader that stops early lets the rest drain). */
  body: AsyncIterable<Uint8Array> | null;
}

/** providerFetch's checks and errors, answered as a ProviderStreamResponse (for streaming chat calls). */
export async function providerStream(rawUrl: string, init: ProviderFetchInit, options: ProviderFetchOptions = {}): Promise<ProviderStreamResponse> {
  const { res } = await providerRequest(rawUrl, init, options);
  const status = res.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      get(name) {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    async json() {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return JSON.parse(Buffer.concat(chunks).toString("utf8"));
    },
    body: hasBody(res, init) ? nodeBody(res) : null,
  };
}

/** Whether the answer has a body to read; one that has none is drained at once (the socket is reused). */
function hasBody(res: IncomingMessage, init: ProviderFetchInit): boolean {
  const has = !NULL_BODY_STATUSES.has(res.statusCode ?? 0) && init.method !== "HEAD";
  if (!has) res.resume();
  return has;
}

/**
 * The response's chunks, read straight from the Node stream (no generator in between: this runs once
 * per streamed token). A connection cut mid-body fails the read with Node's own error (the caller
 * names the provider), as does an abort (streamChat answers it with the signal's reason). A reader
 * that stops early (it saw `[DONE]`) leaves the rest to drain, so the keep-alive socket goes back to
 * the pool.
 */
function nodeBody(res: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const chunks = res.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>;
      return {
        next: () => chunks.next(),
        // After the iterator has let go of the stream (its 'readable' listener holds it paused).
        return: async (value?: unknown) => {
          const result = chunks.return ? await chunks.return(value) : { done: true as const, value: undefined };
          if (!res.complete) res.resume();
          return result;
        },
      };
    },
  };
}

/** Checks the URL and its address, sends the request, and resolves with the response's head. */
async function providerRequest(
  rawUrl: string,
  init: ProviderFetchInit,
  options: ProviderFetchOptions,
): Promise<{ res: IncomingMessage; destroy: (error?: Error) => void }> {
  const url = checkProviderUrl(rawUrl);
  init.signal?.throwIfAborted();
  const target = await resolveChecked(url, options.lookup ?? systemLookup);
  init.signal?.throwIfAborted();

  // The socket connects to the address checked above, whatever DNS would say now.
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const isHttps = url.protocol === "https:";
  const body = typeof init.body === "string" ? Buffer.from(init.body, "utf8") : init.body;
  const headers: Record<string, string> = { ...init.headers };
  if (body) headers["content-length"] = String(body.byteLength);

  return new Promise((resolve, reject) => {
    let settled = false;
    const req = (isHttps ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (isHttps ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: init.method,
      headers,
      lookup: pinned,
      agent: isHttps ? agents.https : agents.http,
      ...(isHttps ? { servername: isIpLiteral(url.hostname) ? undefined : url.hostname } : {}),
    });
    const onAbort = () => {
      req.destroy(init.signal!.reason instanceof Error ? init.signal!.reason : new Error("aborted"));
      if (!settled) {
        settled = true;
        reject(init.signal!.reason);
      }
    };
    init.signal?.addEventListener("abort", onAbort, { once: true });
    const cleanup = () => init.signal?.removeEventListener("abort", onAbort);

    // Without this an unreachable host holds the request for the OS's SYN retries (about two minutes).
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    req.on("socket", (socket) => {
      // A pooled keep-alive socket is open already; a plain one may have connected before this event.
      if (req.reusedSocket || (!isHttps && !socket.connecting)) return;
      const timer = setTimeout(() => {
        req.destroy(new AppError("UPSTREAM", `Connecting to ${url.host} timed out after ${connectTimeoutMs / 1000} s.`));
      }, connectTimeoutMs);
      socket.once(isHttps ? "secureConnect" : "connect", () => clearTimeout(timer));
      socket.once("close", () => clearTimeout(timer));
    });

    req.on("error", (error: NodeJS.ErrnoException) => {
      cleanup();
      if (settled) return;
      settled = true;
      reject(init.signal?.aborted ? init.signal.reason : connectionError(url, error));
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304) {
        const location = res.headers.location;
        req.destroy();
        cleanup();
        settled = true;
        reject(
          new AppError(
            "UPSTREAM",
            `${url.host} answered with a redirect (${status}${location ? ` to ${location}` : ""}). Kindling never follows redirects from providers, because they could send the API key elsewhere: use the final URL as the base URL.`,
          ),
        );
        return;
      }
      settled = true;
      res.on("end", cleanup);
      res.on("close", cleanup);
      resolve({ res, destroy: (e) => req.destroy(e) });
    });
    req.end(body);
  });
}

function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, "")) !== 0;
}
