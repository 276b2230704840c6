// The browser side of the playground stream: POSTs a chat request to the console and hands each
// server event to a callback as it arrives.
import type { ChatRequest } from "./chat-request";
import { readEventStream } from "@/lib/http/event-stream";
import type { PlaygroundEvent } from "@/lib/inference/events";

export class PlaygroundRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export async function streamPlaygroundChat(
  request: ChatRequest,
  signal: AbortSignal,
  onEvent: (event: PlaygroundEvent) => void,
): Promise<void> {
  const response = await fetch("/api/playground/chat", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok || !response.body) {
    const body = await response.json().catch(() => null);
    throw new PlaygroundRequestError(
      body?.error?.message ?? `The console answered ${response.status}.`,
      body?.error?.code ?? "INTERNAL",
      body?.error?.fieldErrors,
    );
  }
  await readEventStream(response.body, (data) => onEvent(JSON.parse(data) as PlaygroundEvent));
}
