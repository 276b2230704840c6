// Reads a text/event-stream body to its end (browser and server alike), handing each event's data
// to `onData` as it arrives.
import { createParser } from "eventsource-parser";

export async function readEventStream(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const parser = createParser({ onEvent: (message) => onData(message.data) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
}
