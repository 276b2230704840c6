// The engine's server-sent events writer: OpenAI's framing, and when a stream's bytes leave.
import type { ServerResponse } from "node:http";
import type { EngineError } from "./errors";

/**
 * Later tokens of one stream leave at most this often (the first leaves at once). A socket write and
 * the reader's wake-up cost tens of microseconds of CPU each, per token, here and again in the
 * console that relays the stream; a small model decodes a token every 2-3 ms per sequence, so on a
 * busy machine those writes took a share of the cores from decoding. Grouping the tokens of 8 ms
 * (a screen redraws every 16 ms) writes 2-4 tokens per write at that rate and changes nothing for a
 * model slower than one token per 8 ms, nor the time to the first token.
 */
export const TOKEN_FLUSH_MS = 8;

/**
 * An SSE writer framed exactly like OpenAI's: `data: {...}\n\n`, ending with `data: [DONE]\n\n`.
 * The headers leave with the first event, in one packet. Later token events are written one
 * event-loop turn later at the soonest, after llama.cpp's next decode has been dispatched, so the
 * socket write overlaps that decode instead of delaying it, and at most every TOKEN_FLUSH_MS; events
 * that pile up meanwhile go in one write.
 */
export class SseStream {
  private pending = "";
  private scheduled = false;
  private tokens = 0;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
  }

  private get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  private lastWriteAt = 0;

  private flush = (): void => {
    this.scheduled = false;
    if (this.pending && this.open) {
      this.res.write(this.pending);
      // Node's response corks the socket on a write and uncorks it on the next tick, which runs only
      // once node-llama-cpp's chain of promises after a token has settled (0.2-2.4 ms measured for the
      // first token): uncorked here, the bytes leave now.
      if (this.res.socket?.writableCorked) this.res.socket.uncork();
      this.lastWriteAt = performance.now();
    }
    this.pending = "";
  };

  /**
   * Keeps an event to go out with the next write. The role chunk waits for the first token this way:
   * one write and one client wake-up instead of two while the prompt is being evaluated, which on a
   * busy machine delayed the first token (the client's wake-up competes with the decode for a core).
   */
  hold(data: unknown): void {
    this.pending += `data: ${JSON.stringify(data)}\n\n`;
  }

  /** Writes an event now. */
  send(data: unknown): void {
    this.pending += `data: ${JSON.stringify(data)}\n\n`;
    this.flush();
  }

  /** A token event: the first one now (time to first token), later ones grouped (see TOKEN_FLUSH_MS). */
  token(data: unknown): void {
    if (this.tokens++ === 0) return this.send(data);
    this.pending += `data: ${JSON.stringify(data)}\n\n`;
    if (this.scheduled) return;
    const wait = this.lastWriteAt + TOKEN_FLUSH_MS - performance.now();
    if (wait <= 0) return this.schedule();
    this.scheduled = true;
    setTimeout(this.flush, wait);
  }

  /** Queues an event for the next turn of the event loop; done() and send() write queued events first. */
  queue(data: unknown): void {
    this.pending += `data: ${JSON.stringify(data)}\n\n`;
    if (!this.scheduled) this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    // Two turns: the decode dispatch is itself queued with setImmediate in the turn the token arrived.
    setImmediate(() => setImmediate(this.flush));
  }

  done(): void {
    if (this.open) this.res.end(`${this.pending}data: [DONE]\n\n`);
    this.pending = "";
  }

  fail(error: EngineError): void {
    if (this.open) this.res.end(`${this.pending}data: ${JSON.stringify(error.toJSON())}\n\n`);
    this.pending = "";
  }
}
