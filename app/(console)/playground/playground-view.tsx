"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { CodeDialog } from "@/components/playground/code-dialog";
import { Composer } from "@/components/playground/composer";
import { Panel, type PickerOption } from "@/components/playground/panel";
import { SavedPromptsBar } from "@/components/playground/saved-prompts-bar";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";
import { mergeToolCallDelta, pendingToolCalls, toChatMessages, type AssistantMessage, type UiMessage } from "@/lib/playground/conversation";
import { curlSnippet, pythonSnippet, typescriptSnippet } from "@/lib/playground/code-snippets";
import { DEFAULT_SETTINGS, paramsToSettings, settingsToParams, type PanelSettings } from "@/lib/playground/panel-settings";
import { endpointQuery, savedPromptQuery, savedPromptsQuery } from "@/lib/playground/query-options";
import type { SavedPromptData } from "@/lib/playground/saved-prompt-data";
import { PlaygroundRequestError, streamPlaygroundChat } from "@/lib/playground/stream-client";
import { deletePromptAction, renamePromptAction, savePromptAction } from "./actions";

const MAX_PANELS = 4;

interface PanelState {
  key: string;
  modelId: string;
  settings: PanelSettings;
  messages: UiMessage[];
  showSettings: boolean;
  streaming: boolean;
}

let nextKey = 0;
const newPanel = (modelId: string, settings: PanelSettings = DEFAULT_SETTINGS): PanelState => ({
  key: `p${nextKey++}`,
  modelId,
  settings,
  messages: [],
  showSettings: false,
  streaming: false,
});

const replaceLast = (messages: UiMessage[], fn: (m: AssistantMessage) => AssistantMessage): UiMessage[] => {
  const last = messages.at(-1);
  if (!last || last.role !== "assistant") return messages;
  return [...messages.slice(0, -1), fn(last)];
};

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.message);
  return r.data;
}

export function PlaygroundView({
  models,
  canRun,
  defaultModelId,
}: {
  models: PickerOption[];
  canRun: boolean;
  defaultModelId: string;
}) {
  const queryClient = useQueryClient();
  const savedPrompts = useQuery(savedPromptsQuery);
  const [panels, setPanels] = useState<PanelState[]>(() => [newPanel(defaultModelId)]);
  const [systemPrompt, setSystemPrompt] = useState("");
  const [syncSettings, setSyncSettings] = useState(false);
  const [draft, setDraft] = useState("");
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [current, setCurrent] = useState<{ id: string; name: string } | null>(null);
  const [codeFor, setCodeFor] = useState<string | null>(null);

  const controllers = useRef(new Map<string, AbortController>());
  // Streamed text is collected here and rendered once per animation frame, whatever the token rate.
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
  }, []);

  useEffect(() => {
    const live = controllers.current;
    return () => {
      for (const c of live.values()) c.abort();
    };
  }, []);

  const updatePanel = useCallback((key: string, fn: (p: PanelState) => PanelState) => {
    setPanels((ps) => ps.map((p) => (p.key === key ? fn(p) : p)));
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

  const errorsByPanel = new Map(panels.map((p) => [p.key, settingsToParams(p.settings).errors]));
  const anyStreaming = panels.some((p) => p.streaming);

  function start(panel: PanelState, history: UiMessage[]) {
    const withReply: UiMessage[] = [...history, { role: "assistant", content: "", toolCalls: [], streaming: true }];
    updatePanel(panel.key, (p) => ({ ...p, streaming: true, messages: withReply }));
    void run(panel, history);
  }

  function send() {
    const text = draft.trim();
    if (!text || anyStreaming) return;
    const invalid = panels.findIndex((p) => Object.keys(errorsByPanel.get(p.key) ?? {}).length > 0);
    if (invalid >= 0) {
      setNotice({ tone: "error", text: `Panel ${invalid + 1} has a settings error: ${Object.values(errorsByPanel.get(panels[invalid].key)!)[0]}` });
      return;
    }
    setNotice(null);
    setDraft("");
    // One prompt to every panel at once; each streams on its own and fails on its own.
    for (const panel of panels) start(panel, [...panel.messages, { role: "user", content: text }]);
  }

  function answerTools(panel: PanelState, results: Record<string, string>) {
    const calls = pendingToolCalls(panel.messages);
    const toolMessages: UiMessage[] = calls.map((c) => ({ role: "tool", toolCallId: c.id, name: c.name, content: results[c.id] ?? "" }));
    start(panel, [...panel.messages, ...toolMessages]);
  }

  function changeSettings(key: string, patch: Partial<PanelSettings>) {
    setPanels((ps) => ps.map((p) => (syncSettings || p.key === key ? { ...p, settings: { ...p.settings, ...patch } } : p)));
  }

  function toggleSync(on: boolean) {
    setSyncSettings(on);
    // Turning sync on makes every panel use the first panel's settings.
    if (on) setPanels((ps) => ps.map((p) => ({ ...p, settings: ps[0].settings })));
  }

  function stopAll() {
    for (const c of controllers.current.values()) c.abort();
  }

  function snapshot(): SavedPromptData {
    return {
      version: 1,
      systemPrompt,
      syncSettings,
      panels: panels.map((p) => ({ modelId: p.modelId, params: settingsToParams(p.settings).params, messages: toChatMessages("", p.messages) })),
    };
  }

  async function load(id: string) {
    try {
      const saved = await queryClient.fetchQuery(savedPromptQuery(id));
      stopAll();
      setSystemPrompt(saved.data.systemPrompt);
      setSyncSettings(saved.data.syncSettings);
      setPanels(
        saved.data.panels.map((sp) => ({
          ...newPanel(sp.modelId, paramsToSettings(sp.params)),
          messages: sp.messages.flatMap((m): UiMessage[] => {
            if (m.role === "system") return [];
            if (m.role === "user") return [{ role: "user", content: m.content }];
            if (m.role === "tool") return [{ role: "tool", toolCallId: m.tool_call_id, name: "tool", content: m.content }];
            return [
              {
                role: "assistant",
                content: m.content ?? "",
                streaming: false,
                toolCalls: (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
              },
            ];
          }),
        })),
      );
      setCurrent({ id: saved.id, name: saved.name });
      setNotice({ tone: "success", text: `Loaded “${saved.name}”.` });
    } catch (error) {
      setNotice({ tone: "error", text: (error as Error).message });
    }
  }

  async function save(name: string) {
    try {
      const saved = await unwrap(savePromptAction({ name, data: snapshot() }));
      setCurrent({ id: saved.id, name: saved.name });
      setNotice({ tone: "success", text: `Saved “${saved.name}” for the team.` });
      await queryClient.invalidateQueries({ queryKey: savedPromptsQuery.queryKey });
    } catch (error) {
      setNotice({ tone: "error", text: (error as Error).message });
    }
  }

  async function rename(name: string) {
    if (!current) return;
    try {
      const saved = await unwrap(renamePromptAction({ id: current.id, name }));
      setCurrent({ id: saved.id, name: saved.name });
      setNotice({ tone: "success", text: `Renamed to “${saved.name}”.` });
      await queryClient.invalidateQueries({ queryKey: savedPromptsQuery.queryKey });
    } catch (error) {
      setNotice({ tone: "error", text: (error as Error).message });
    }
  }

  async function remove() {
    if (!current || !window.confirm(`Delete “${current.name}” for everyone?`)) return;
    try {
      await unwrap(deletePromptAction({ id: current.id }));
      setNotice({ tone: "success", text: `Deleted “${current.name}”.` });
      setCurrent(null);
      await queryClient.invalidateQueries({ queryKey: savedPromptsQuery.queryKey });
    } catch (error) {
      setNotice({ tone: "error", text: (error as Error).message });
    }
  }

  const codePanel = panels.find((p) => p.key === codeFor);

  return (
    <div className="flex h-[calc(100vh-4rem)] min-h-[560px] flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-2 text-2xl font-semibold tracking-tight">Playground</h1>
        <SavedPromptsBar
          prompts={savedPrompts.data ?? []}
          loading={savedPrompts.isPending}
          loadError={savedPrompts.isError ? savedPrompts.error.message : null}
          current={current}
          canSave={canRun}
          onLoad={load}
          onSave={save}
          onRename={rename}
          onDelete={remove}
        />
        <div className="ml-auto flex items-center gap-3">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={syncSettings} onChange={(e) => toggleSync(e.target.checked)} className="accent-accent-600" />
            Sync settings
          </label>
          <Button
            variant="secondary"
            size="sm"
            disabled={panels.length >= MAX_PANELS || anyStreaming}
            onClick={() => setPanels((ps) => [...ps, newPanel(ps.at(-1)?.modelId ?? defaultModelId, ps.at(-1)?.settings)])}
          >
            Add panel
          </Button>
        </div>
      </div>
      {notice ? (
        <Alert tone={notice.tone} className="flex items-center justify-between">
          <span>{notice.text}</span>
          <button type="button" onClick={() => setNotice(null)} className="text-xs underline">
            Dismiss
          </button>
        </Alert>
      ) : null}
      {models.length === 0 ? (
        <Alert tone="info">
          No models are available yet. An admin can add an OpenAI-compatible provider in Settings → Providers, or put a .gguf file in the
          data directory&apos;s models folder for the local engine.
        </Alert>
      ) : null}
      <div>
        <label htmlFor="system-prompt" className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          System prompt {panels.length > 1 ? "(all panels)" : ""}
        </label>
        <textarea
          id="system-prompt"
          rows={2}
          value={systemPrompt}
          onChange={(e) => setSystemPrompt(e.target.value)}
          placeholder="You are a helpful assistant."
          className="block w-full resize-y rounded-lg border border-zinc-200 bg-white px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900"
        />
      </div>
      <div className="grid min-h-0 flex-1 gap-3" style={{ gridTemplateColumns: `repeat(${panels.length}, minmax(0, 1fr))` }}>
        {panels.map((p, i) => (
          <Panel
            key={p.key}
            index={i}
            modelId={p.modelId}
            models={models}
            settings={p.settings}
            settingsErrors={errorsByPanel.get(p.key) ?? {}}
            messages={p.messages}
            streaming={p.streaming}
            showSettings={p.showSettings}
            pendingToolCalls={pendingToolCalls(p.messages)}
            canRun={canRun}
            canRemove={panels.length > 1}
            onModelChange={(modelId) => updatePanel(p.key, (x) => ({ ...x, modelId }))}
            onSettingsChange={(patch) => changeSettings(p.key, patch)}
            onToggleSettings={() => updatePanel(p.key, (x) => ({ ...x, showSettings: !x.showSettings }))}
            onViewCode={() => setCodeFor(p.key)}
            onStop={() => controllers.current.get(p.key)?.abort()}
            onRemove={() => setPanels((ps) => ps.filter((x) => x.key !== p.key))}
            onAnswerTools={(results) => answerTools(p, results)}
          />
        ))}
      </div>
      <Composer
        value={draft}
        onChange={setDraft}
        onSend={send}
        onStop={stopAll}
        onClear={() => setPanels((ps) => ps.map((p) => ({ ...p, messages: [] })))}
        streaming={anyStreaming}
        disabled={!canRun || models.length === 0}
        panelCount={panels.length}
      />
      {codePanel ? (
        <ViewCode
          panel={codePanel}
          systemPrompt={systemPrompt}
          draft={draft}
          onClose={() => setCodeFor(null)}
        />
      ) : null}
    </div>
  );
}

function ViewCode({ panel, systemPrompt, draft, onClose }: { panel: PanelState; systemPrompt: string; draft: string; onClose: () => void }) {
  const endpoint = useQuery(endpointQuery(panel.modelId));
  // The request this panel would send next: the conversation so far plus the message being typed.
  const history: UiMessage[] = draft.trim() ? [...panel.messages, { role: "user", content: draft.trim() }] : panel.messages;
  const messages = toChatMessages(systemPrompt, history);
  const { params } = settingsToParams(panel.settings);
  if (endpoint.isPending) return <CodeDialog title="View code" tabs={[{ id: "loading", label: "Loading…", code: "Looking up the endpoint…" }]} onClose={onClose} />;
  if (endpoint.isError) return <CodeDialog title="View code" tabs={[{ id: "error", label: "Error", code: endpoint.error.message }]} onClose={onClose} />;
  const input = { baseUrl: endpoint.data.baseUrl, apiKeyEnv: endpoint.data.apiKeyEnv, model: endpoint.data.model, messages: messages.length ? messages : [{ role: "user" as const, content: "Hello!" }], params };
  const note = endpoint.data.note;
  return (
    <CodeDialog
      title="View code"
      note={note}
      onClose={onClose}
      tabs={[
        { id: "curl", label: "curl", code: curlSnippet(input) },
        { id: "python", label: "Python", code: pythonSnippet(input) },
        { id: "typescript", label: "TypeScript", code: typescriptSnippet(input) },
      ]}
    />
  );
}
