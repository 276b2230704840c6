"use client";
// Streams each panel's answer: one request per panel, its own stop button, and streamed text
// collected in a buffer and drawn once per animation frame, whatever the token rate.
import { useCallback, useEffect, useRef, type Dispatch, type SetStateAction } from "react";
import { mergeToolCallDelta, toChatMessages, type AssistantMessage, type UiMessage } from "@/lib/playground/conversation";
import { settingsToParams } from "@/lib/playground/panel-settings";
import { replaceLast, type PanelState } from "@/lib/playground/panels";
import { PlaygroundRequestError, streamPlaygroundChat } from "@/lib/playground/stream-client";

export function usePanelStreams({
  systemPrompt,
  setPanels,
  updatePanel,
}: {
  systemPrompt: string;
  setPanels: Dispatch<SetStateAction<PanelState[]>>;
  updatePanel: (key: string, fn: (p: PanelState) => PanelState) => void;
}) {
  const controllers = useRef(new Map<string, AbortController>());
  const buffers = useRef(new Map<string, string>());
  const frame = useRef<number | null>(null);

  const flush = useCallback(() => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    const pending = buffers.current;
    if (pending.size === 0) return;
    buffers.current = new Map();
    setPanels((ps) =>
      ps.map((p) => {
        const add = pending.get(p.key);
        return add ? { ...p, messages: replaceLast(p.messages, (m) => ({ ...m, content: m.content + add })) } : p;
      }),
    );
  }, [setPanels]);

  useEffect(() => {
    const live = controllers.current;
    return () => {
      for (const c of live.values()) c.abort();
    };
  }, []);

  const run = useCallback(
    async (panel: PanelState, history: UiMessage[]) => {
      const { params } = settingsToParams(panel.settings);
      const controller = new AbortController();
      controllers.current.set(panel.key, controller);
      const finish = (fn: (m: AssistantMessage) => AssistantMessage) => {
        flush();
        updatePanel(panel.key, (p) => ({ ...p, streaming: false, messages: replaceLast(p.messages, (m) => fn({ ...m, streaming: false })) }));
      };
      try {
        await streamPlaygroundChat({ modelId: panel.modelId, messages: toChatMessages(systemPrompt, history), params }, controller.signal, (event) => {
          if (event.type === "delta") {
            buffers.current.set(panel.key, (buffers.current.get(panel.key) ?? "") + event.content);
            frame.current ??= requestAnimationFrame(flush);
          } else if (event.type === "tool_call") {
            flush();
            updatePanel(panel.key, (p) => ({ ...p, messages: replaceLast(p.messages, (m) => ({ ...m, toolCalls: mergeToolCallDelta(m.toolCalls, event) })) }));
          } else if (event.type === "done") {
            finish((m) => ({ ...m, metrics: event.metrics, structured: event.structured }));
          } else if (event.type === "error") {
            finish((m) => ({ ...m, error: { code: event.code, message: event.message } }));
          }
        });
        // A stream that ended without done or error was cut: say so rather than leave a spinner.
        finish((m) => (m.metrics || m.error ? m : { ...m, error: { code: "UPSTREAM", message: "The connection closed before the answer finished." } }));
      } catch (error) {
        if (controller.signal.aborted) finish((m) => ({ ...m, stopped: true }));
        else {
          const e = error instanceof PlaygroundRequestError ? error : new PlaygroundRequestError("Could not reach the console. Check your connection and try again.", "UNAVAILABLE");
          finish((m) => ({ ...m, error: { code: e.code, message: e.message } }));
        }
      } finally {
        controllers.current.delete(panel.key);
      }
    },
    [flush, systemPrompt, updatePanel],
  );

  /** Sends history to the panel's model and streams the reply into a new assistant message. */
  function start(panel: PanelState, history: UiMessage[]) {
    const withReply: UiMessage[] = [...history, { role: "assistant", content: "", toolCalls: [], streaming: true }];
    updatePanel(panel.key, (p) => ({ ...p, streaming: true, messages: withReply }));
    void run(panel, history);
  }

  return {
    start,
    stop: (key: string) => controllers.current.get(key)?.abort(),
    stopAll: () => {
      for (const c of controllers.current.values()) c.abort();
    },
  };
}
