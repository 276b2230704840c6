// providerFetch against real local HTTP servers; DNS is the injected boundary.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAddress, checkHostName } from "./address-policy";
import { providerFetch, providerStream } from "./http";
import { appErrorOf } from "@/lib/testing/app-error";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits };
}


const get = { method: "GET", headers: {} };
const servers: Server[] = [];
let target: Awaited<ReturnType<typeof listen>>;
let release: () => void = () => {};
let closedSockets = 0;

beforeAll(async () => {
  target = await listen((req, res) => {
    if (req.url === "/v1/models") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ host: req.headers.host, auth: req.headers.authorization ?? null }));
    } else if (req.url === "/stream") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      // The second chunk waits for the test to have read the first: proof that nothing buffers.
      const gate = new Promise<void>((r) => (release = r));
      void gate.then(() => res.end("data: two\n\n"));
    } else if (req.url === "/endless") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      const timer = setInterval(() => res.write("data: more\n\n"), 20);
      req.socket.on("close", () => {
        clearInterval(timer);
        closedSockets++;
      });
    } else if (req.url === "/cut") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: partial\n\n", () => setTimeout(() => res.socket?.destroy(), 20));
    } else if (req.url === "/hang") {
      // never answers
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  servers.push(target.server);
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe("address policy", () => {
  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "100.100.100.200",
    "0.0.0.0",
    "::",
    "fe80::1",
    "febf::1",
    "fd00:ec2::254",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "64:ff9b::169.254.169.254",
    "::ffff:0.0.0.0",
  ])("refuses %s", (address) => {
    expect(checkAddress(address).allowed).toBe(false);
  });

  it.each(["127.0.0.1", "10.1.2.3", "192.168.1.20", "172.16.0.5", "::1", "fd00::1", "2001:db8::1", "8.8.8.8", "::ffff:127.0.0.1"])(
    "allows %s (loopback and private ranges are where self-hosted engines live)",
    (address) => {
      expect(checkAddress(address).allowed).toBe(true);
    },
  );

  it("refuses metadata names in any case and with a trailing dot", () => {
    expect(checkHostName("metadata.google.internal").allowed).toBe(false);
    expect(checkHostName("METADATA.Google.Internal.").allowed).toBe(false);
    expect(checkHostName("api.openai.com").allowed).toBe(true);
  });
});

describe("providerFetch refusals", () => {
  it("refuses the metadata address, saying why", async () => {
    const e = await appErrorOf(providerFetch("http://169.254.169.254/latest/meta-data/", get));
    expect(e.code).toBe("VALIDATION");
    expect(e.message).toMatch(/link-local/);
  });

  it("refuses link-local and metadata addresses in IPv6 and IPv4-mapped spellings", async () => {
    // Decimal, hex and short forms of 169.254.169.254 and 0.0.0.0 are normalised by the URL parser first.
    for (const url of ["http://2852039166/", "http://0xa9.0xfe.0xa9.0xfe/", "http://169.254.43518/", "http://0/", "http://[fe80::1]/v1", "http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/", "http://100.100.100.200/", "http://0.0.0.0:8000/", "http://[::]/"]) {
      expect((await appErrorOf(providerFetch(url, get))).code, url).toBe("VALIDATION");
    }
  });

  it("refuses a metadata name before any lookup", async () => {
    let looked = false;
    const lookup = async () => {
      looked = true;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const e = await appErrorOf(providerFetch("http://metadata.google.internal/computeMetadata/v1/", get, { lookup }));
    expect(e.code).toBe("VALIDATION");
    expect(looked).toBe(false);
  });

  it("refuses a name that resolves to the metadata address, or to it among others", async () => {
    const one = await appErrorOf(providerFetch("http://evil.test/v1/models", get, { lookup: async () => [{ address: "169.254.169.254", family: 4 }] }));
    expect(one.code).toBe("VALIDATION");
    expect(one.message).toMatch(/evil\.test resolves to 169\.254\.169\.254/);
    const mixed = await appErrorOf(
      providerFetch(`http://mixed.test:${target.port}/v1/models`, get, {
        lookup: async () => [
          { address: "127.0.0.1", family: 4 },
          { address: "fe80::1", family: 6 },
        ],
      }),
    );
    expect(mixed.code).toBe("VALIDATION");
    expect(target.hits()).toBe(0);
  });

  it("refuses other schemes", async () => {
    expect((await appErrorOf(providerFetch("file:///etc/passwd", get))).code).toBe("VALIDATION");
    expect((await appErrorOf(providerFetch("ftp://example.com/", get))).code).toBe("VALIDATION");
  });

  it("does not follow a redirect to the metadata address or anywhere else", async () => {
    const elsewhere = await listen((_req, res) => res.end("should never be reached"));
    servers.push(elsewhere.server);
    const redirector = await listen((req, res) => {
      res.writeHead(302, { location: req.url === "/meta" ? "http://169.254.169.254/latest/meta-data/" : `http://127.0.0.1:${elsewhere.port}/v1/models` });
      res.end();
    });
    servers.push(redirector.server);
    const meta = await appErrorOf(providerFetch(`http://127.0.0.1:${redirector.port}/meta`, { method: "GET", headers: { authorization: "Bearer sk-secret" } }));
    expect(meta.code).toBe("UPSTREAM");
    expect(meta.message).toMatch(/redirect \(302 to http:\/\/169\.254\.169\.254/);
    expect(meta.message).not.toContain("sk-secret");
    const other = await appErrorOf(providerFetch(`http://127.0.0.1:${redirector.port}/v1/models`, get));
    expect(other.code).toBe("UPSTREAM");
    expect(elsewhere.hits()).toBe(0);
  });

  it("explains a refused connection", async () => {
    const closed = await listen(() => {});
    const port = closed.port;
    await new Promise((r) => closed.server.close(r));
    const e = await appErrorOf(providerFetch(`http://127.0.0.1:${port}/v1/models`, get));
    expect(e.code).toBe("UPSTREAM");
    expect(e.message).toMatch(/Connection refused/);
  });
});

describe("providerFetch requests", () => {
  it("connects to the checked address while keeping the name in the Host header", async () => {
    const res = await providerFetch(`http://my-vllm.test:${target.port}/v1/models`, { method: "GET", headers: { authorization: "Bearer k" } }, {
      lookup: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ host: `my-vllm.test:${target.port}`, auth: "Bearer k" });
  });

  it("streams the body chunk by chunk, without buffering", async () => {
    const res = await providerFetch(`http://127.0.0.1:${target.port}/stream`, get);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe("data: one\n\n");
    release();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value);
    expect(rest).toBe("data: two\n\n");
  });

  it("aborts mid-stream through the signal and closes the connection", async () => {
    const controller = new AbortController();
    const res = await providerFetch(`http://127.0.0.1:${target.port}/endless`, { ...get, signal: controller.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("data: first");
    const before = closedSockets;
    controller.abort();
    const error = await (async () => {
      for (;;) await reader.read();
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    await expect.poll(() => closedSockets).toBe(before + 1);
  });

  it("gives up on a connection that does not open in time (a TLS handshake nobody answers)", async () => {
    // Accepts and reads, never answers: the TLS handshake never completes.
    const silent = createNetServer((socket) => socket.resume());
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const e = await appErrorOf(providerFetch(`https://127.0.0.1:${port}/v1/models`, get, { connectTimeoutMs: 300 }));
      expect(e.code).toBe("UPSTREAM");
      expect(e.message).toBe(`Connecting to 127.0.0.1:${port} timed out after 0.3 s.`);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await new Promise((r) => silent.close(r));
    }
  });

  it("rejects with the signal's reason when the provider does not answer in time", async () => {
    const error = await providerFetch(`http://127.0.0.1:${target.port}/hang`, { ...get, signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
  });
});

describe("providerStream (the chat path's lighter answer)", () => {
  const read = async (body: AsyncIterable<Uint8Array>) => {
    let text = "";
    for await (const chunk of body) text += Buffer.from(chunk).toString("utf8");
    return text;
  };

  it("streams the body chunk by chunk, with status and headers", async () => {
    const res = await providerStream(`http://127.0.0.1:${target.port}/stream`, get);
    expect(res.ok).toBe(true);
    expect(res.headers.get("Content-Type")).toBe("text/event-stream");
    const chunks = res.body![Symbol.asyncIterator]();
    expect(Buffer.from((await chunks.next()).value as Uint8Array).toString()).toBe("data: one\n\n");
    release();
    let rest = "";
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe("data: two\n\n");
  });

  it("reads an error answer as JSON", async () => {
    const res = await providerStream(`http://127.0.0.1:${target.port}/missing`, get);
    expect(res.ok).toBe(false);
    expect(res.status).toBe(404);
    await expect(res.json()).rejects.toThrow(); // an empty body is not JSON
  });

  it("a connection cut before the end of the body fails the read (streamChat names the provider in its UPSTREAM error)", async () => {
    const res = await providerStream(`http://127.0.0.1:${target.port}/cut`, get);
    const error = await read(res.body as AsyncIterable<Uint8Array>).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe("ECONNRESET");
  });

  it("aborts mid-stream through the signal: the read fails and the connection closes", async () => {
    const controller = new AbortController();
    const res = await providerStream(`http://127.0.0.1:${target.port}/endless`, { ...get, signal: controller.signal });
    const before = closedSockets;
    const error = await (async () => {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        expect(Buffer.from(chunk).toString()).toContain("data:");
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await expect.poll(() => closedSockets).toBe(before + 1);
  });

  it("a reader that stops early (it saw [DONE]) leaves the socket to drain and be reused", async () => {
    const sockets = new Set<unknown>();
    const counting = await listen((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: [DONE]\n\n");
      setTimeout(() => res.end(), 30);
    });
    servers.push(counting.server);
    for (let i = 0; i < 3; i++) {
      const res = await providerStream(`http://127.0.0.1:${counting.port}/`, get);
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        if (Buffer.from(chunk).toString().includes("[DONE]")) break;
      }
      await new Promise((r) => setTimeout(r, 60)); // the rest drains; the socket returns to the pool
    }
    expect(counting.hits()).toBe(3);
    expect(sockets.size).toBe(1);
  });
});
