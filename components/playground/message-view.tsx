"use client";

import { Alert } from "@/components/ui/alert";
import type { UiMessage } from "@/lib/playground/conversation";
import { Markdown } from "./markdown";
import { MetricsLine } from "./metrics-line";

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function MessageView({ message }: { message: UiMessage }) {
  if (message.role === "user") {
    return (
      <div className="ml-6 rounded-lg bg-zinc-100 px-3 py-2 text-sm whitespace-pre-wrap dark:bg-zinc-800" data-role="user">
        {message.content}
      </div>
    );
  }
  if (message.role === "tool") {
    return (
      <div className="rounded-lg border border-dashed border-zinc-300 px-3 py-2 text-xs dark:border-zinc-700" data-role="tool">
        <div className="mb-1 font-medium text-zinc-500">Result of {message.name}</div>
        <pre className="font-mono whitespace-pre-wrap">{message.content}</pre>
      </div>
    );
  }
  return (
    <div data-role="assistant" aria-busy={message.streaming}>
      {message.content ? (
        message.streaming ? (
          // Plain text while streaming: parsing markdown on every frame would slow long answers.
          <div className="text-sm leading-relaxed whitespace-pre-wrap break-words" data-testid="answer">
            {message.content}
          </div>
        ) : message.structured ? (
          // A JSON answer is data, not prose: shown verbatim (Markdown would eat its blank lines and
          // indentation), so what is copied from here parses as what the schema check saw.
          <pre className="overflow-x-auto rounded-md bg-zinc-50 p-2 font-mono text-xs whitespace-pre-wrap break-words dark:bg-zinc-900" data-testid="answer">
            {message.content}
          </pre>
        ) : (
          <div data-testid="answer">
            <Markdown text={message.content} />
          </div>
        )
      ) : message.streaming ? (
        <div className="text-sm text-zinc-400" aria-label="Waiting for the first token">
          <span className="inline-block animate-pulse">●</span>
        </div>
      ) : null}
      {message.toolCalls.map((call, i) => (
        <div key={call.id || i} className="mt-2 rounded-lg border border-blue-200 bg-blue-50 px-3 py-2 text-xs dark:border-blue-900 dark:bg-blue-950/40" data-testid="tool-call">
          <div className="mb-1 font-medium text-blue-900 dark:text-blue-200">
            Tool call: <span className="font-mono">{call.name || "…"}</span>
            {call.id ? <span className="ml-2 font-mono font-normal text-blue-700/70 dark:text-blue-300/70">{call.id}</span> : null}
          </div>
          <pre className="font-mono whitespace-pre-wrap text-zinc-800 dark:text-zinc-200">{prettyArguments(call.arguments)}</pre>
        </div>
      ))}
      {message.stopped ? <p className="mt-1 text-xs text-zinc-500">Stopped.</p> : null}
      {message.error ? (
        <Alert tone="error" className="mt-1">
          {message.error.message}
        </Alert>
      ) : null}
      {message.structured ? (
        <p className={`mt-1 text-xs ${message.structured.valid ? "text-green-700 dark:text-green-400" : "text-red-600 dark:text-red-400"}`} data-testid="structured-check">
          {message.structured.valid ? "✓ Valid JSON that matches the requested format" : `✗ ${message.structured.error}`}
        </p>
      ) : null}
      {message.metrics ? <MetricsLine metrics={message.metrics} /> : null}
    </div>
  );
}
