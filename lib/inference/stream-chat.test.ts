import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { costUsd, streamChat, type ChatStreamEvent, type FetchLike } from "./stream-chat";

const endpoint = { baseUrl: "http://127.0.0.1:1/v1/", apiKey: "sk-test", model: "m", providerName: "Prov" };

function sseResponse(parts: string[], init: ResponseInit = {}): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "text/event-stream" }, ...init });
}

async function collect(fetchImpl: FetchLike, clock?: () => number) {
  const events: ChatStreamEvent[] = [];
  for await (const e of streamChat(endpoint, { messages: [{ role: "user", content: "hi" }], params: { temperature: 0 } }, { fetch: fetchImpl, now: clock })) {
    events.push(e);
  }
  return events;
}

const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe("streamChat", () => {
  it("sends the OpenAI request, yields deltas split across network chunks, and measures at the first delta", async () => {
    let sent: { url: string; headers: Record<string, string>; body: Record<string, unknown> } | null = null;
    const times = [0, 40, 45, 100];
    const clock = () => times.shift() ?? 100;
    const text = chunk({ role: "assistant" }) + chunk({ content: "Hel" }) + chunk({ content: "lo" }) + chunk({}, "stop") +
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })}\n\ndata: [DONE]\n\n`;
    const events = await collect(async (url, init) => {
      sent = { url, headers: init.headers, body: JSON.parse(init.body!) };
      // Split mid-line to prove the parser reassembles events, and between the two deltas.
      const between = text.indexOf("data:", text.indexOf("Hel"));
      return sseResponse([text.slice(0, 50), text.slice(50, 51), text.slice(51, between), text.slice(between)]);
    }, clock);
    expect(sent!.url).toBe("http://127.0.0.1:1/v1/chat/completions");
    expect(sent!.headers.authorization).toBe("Bearer sk-test");
    expect(sent!.body).toMatchObject({ model: "m", stream: true, stream_options: { include_usage: true }, temperature: 0 });
    expect(events.filter((e) => e.type === "delta").map((e) => (e as { content: string }).content)).toEqual(["Hel", "lo"]);
    const done = events.at(-1) as Extract<ChatStreamEvent, { type: "done" }>;
    expect(done.result).toMatchObject({ finishReason: "stop", inputTokens: 7, outputTokens: 3, ttftMs: 40, content: "Hello" });
    // Decode rate counts the tokens after the first over the time after the first.
    expect(done.result.tokensPerSecond).toBeCloseTo(2 / ((done.result.totalMs - 40) / 1000));
  });

  it("yields the content deltas of one read as one delta, and keeps deltas of separate reads apart", async () => {
    const events = await collect(async () =>
      sseResponse([chunk({ content: "a" }) + chunk({ content: "b" }) + chunk({ content: "c" }), chunk({ content: "d" }) + chunk({}, "stop") + "data: [DONE]\n\n"]),
    );
    expect(events.filter((e) => e.type === "delta")).toEqual([
      { type: "delta", content: "abc" },
      { type: "delta", content: "d" },
    ]);
    expect((events.at(-1) as Extract<ChatStreamEvent, { type: "done" }>).result.content).toBe("abcd");
  });

  it("passes tool-call deltas through", async () => {
    const events = await collect(async () =>
      sseResponse([
        chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "weather", arguments: "" } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }),
        chunk({}, "tool_calls"),
        "data: [DONE]\n\n",
      ]),
    );
    expect(events.filter((e) => e.type === "tool_call")).toEqual([
      { type: "tool_call", index: 0, id: "call_1", name: "weather", arguments: "" },
      { type: "tool_call", index: 0, id: undefined, name: undefined, arguments: '{"city":"Oslo"}' },
    ]);
    expect((events.at(-1) as Extract<ChatStreamEvent, { type: "done" }>).result.finishReason).toBe("tool_calls");
  });

  it("turns a provider's error into a plain message with the right code", async () => {
    const error = await collect(async () =>
      Response.json({ error: { message: "max_tokens must be positive", param: "max_tokens" } }, { status: 400 }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toBe("Prov answered 400: max_tokens must be positive");
  });

  it("reports a stream cut off before it finished", async () => {
    const error = await collect(async () => sseResponse([chunk({ content: "partial" })])).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toContain("closed the stream before it finished");
  });
});

describe("costUsd", () => {
  it("prices input and output per million tokens", () => {
    expect(costUsd({ inputPerMillion: 0.5, outputPerMillion: 1.5 }, 1000, 2000)).toBeCloseTo(0.0035);
    expect(costUsd(null, 10, 10)).toBeNull();
    expect(costUsd({ inputPerMillion: 1, outputPerMillion: 1 }, null, 10)).toBeNull();
  });
});

describe("streamChat error text", () => {
  const secretEndpoint = { ...endpoint, apiKey: "sk-live-8hG2kLq0PzXv7RtYwN3m" };
  async function failWith(response: () => Response) {
    const run = streamChat(secretEndpoint, { messages: [{ role: "user", content: "hi" }], params: {} }, { fetch: async () => response() });
    for await (const event of run) void event;
  }

  it("never relays the provider key a provider echoes in its error", async () => {
    const error = await failWith(() =>
      Response.json({ error: { message: `Incorrect API key provided: ${secretEndpoint.apiKey} (header Authorization: Bearer ${secretEndpoint.apiKey})` } }, { status: 401 }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toContain("Prov answered 401: Incorrect API key provided: [redacted]");
    expect(error.message).not.toContain("8hG2kLq0");
  });

  it("never relays the key from an error sent mid-stream", async () => {
    const error = await failWith(() => sseResponse([`data: ${JSON.stringify({ error: { message: `bad key ${secretEndpoint.apiKey}` } })}\n\n`])).catch((e) => e);
    expect(error.message).toBe("Prov stopped with an error: bad key [redacted]");
  });

  it("an abort mid-stream ends with the signal's reason, not the transport's error", async () => {
    const controller = new AbortController();
    const reason = new AppError("TIMEOUT", "Prov sent no token within 1 s.");
    // A body as providerStream gives it: an async iterable whose read fails when the socket is destroyed.
    const body: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        yield new TextEncoder().encode(chunk({ content: "par" }));
        if (!controller.signal.aborted) await new Promise((resolve) => controller.signal.addEventListener("abort", resolve));
        throw new Error("aborted");
      },
    };
    const run = streamChat(endpoint, { messages: [{ role: "user", content: "hi" }], params: {} }, {
      fetch: async () => ({ ok: true, status: 200, headers: new Headers(), json: async () => ({}), body }),
      signal: controller.signal,
    });
    const seen: ChatStreamEvent[] = [];
    const error = await (async () => {
      for await (const e of run) {
        seen.push(e);
        controller.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: "delta", content: "par" }]);
    expect(error).toBe(reason);
  });
});
