import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SseStream, TOKEN_FLUSH_MS } from "./sse";

/** A response that records each write (one write is one socket write) and when it happened. */
function fakeResponse() {
  const writes: { at: number; text: string }[] = [];
  let ended = false;
  const res = {
    writeHead: () => res,
    write(text: string) {
      writes.push({ at: performance.now(), text });
      return true;
    },
    end(text: string) {
      writes.push({ at: performance.now(), text });
      ended = true;
    },
    get writableEnded() {
      return ended;
    },
    destroyed: false,
  };
  return { res: res as unknown as ServerResponse, writes };
}

const events = (text: string) => text.split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));

describe("the engine's SSE writer", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "setImmediate", "performance"] }));
  afterEach(() => vi.useRealTimers());

  it("writes the first token at once, with the held role chunk, in one write", () => {
    const { res, writes } = fakeResponse();
    const sse = new SseStream(res);
    sse.hold({ role: "assistant" });
    expect(writes).toHaveLength(0);
    sse.token({ t: 1 });
    expect(writes).toHaveLength(1);
    expect(events(writes[0].text)).toEqual(['{"role":"assistant"}', '{"t":1}']);
  });

  it("groups later tokens that come faster than TOKEN_FLUSH_MS into one write", async () => {
    const { res, writes } = fakeResponse();
    const sse = new SseStream(res);
    sse.token({ t: 1 });
    for (let t = 2; t <= 4; t++) {
      await vi.advanceTimersByTimeAsync(2); // a token every 2 ms
      sse.token({ t });
    }
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(TOKEN_FLUSH_MS);
    expect(writes).toHaveLength(2);
    expect(events(writes[1].text)).toEqual(['{"t":2}', '{"t":3}', '{"t":4}']);
    expect(writes[1].at - writes[0].at).toBe(TOKEN_FLUSH_MS);
  });

  it("writes a token that comes after a pause on the next turns, not after a timer", async () => {
    const { res, writes } = fakeResponse();
    const sse = new SseStream(res);
    sse.token({ t: 1 });
    await vi.advanceTimersByTimeAsync(50);
    sse.token({ t: 2 });
    const at = performance.now();
    await vi.runAllTimersAsync();
    expect(writes.map((w) => events(w.text))).toEqual([['{"t":1}'], ['{"t":2}']]);
    expect(writes[1].at - at).toBeLessThan(TOKEN_FLUSH_MS);
  });

  it("ends with what is pending and [DONE] at once, and a timer that fires later writes nothing", async () => {
    const { res, writes } = fakeResponse();
    const sse = new SseStream(res);
    sse.token({ t: 1 });
    sse.token({ t: 2 });
    sse.queue({ finish: "stop" });
    sse.done();
    expect(writes).toHaveLength(2);
    expect(events(writes[1].text)).toEqual(['{"t":2}', '{"finish":"stop"}', "[DONE]"]);
    await vi.advanceTimersByTimeAsync(TOKEN_FLUSH_MS * 2);
    expect(writes).toHaveLength(2);
  });
});

describe("the engine's SSE writer on a real socket", () => {
  it("hands the first token to the socket in the same turn, not on Node's next-tick uncork", async () => {
    let buffered = -1;
    const server = createServer((_req, res) => {
      const sse = new SseStream(res);
      sse.hold({ role: "assistant" });
      sse.token({ t: 1 });
      // What the socket still holds right after the write: everything, while it stays corked.
      buffered = res.socket!.writableLength;
      sse.done();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: "/" }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => resolve(text));
        })
          .on("error", reject)
          .end();
      });
      expect(events(body)).toEqual(['{"role":"assistant"}', '{"t":1}', "[DONE]"]);
      expect(buffered).toBe(0);
    } finally {
      server.close();
    }
  });
});
