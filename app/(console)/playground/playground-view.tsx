"use client";
// The playground's layout: the saved-prompts bar, the system prompt, one panel per model and the
// composer. State lives in use-panels, streaming in use-panel-streams, saved prompts in
// use-saved-prompts; this file wires them to the components.
import { useQuery } from "@tanstack/react-query";
import { useState, type CSSProperties } from "react";
import { Composer } from "@/components/playground/composer";
import { Panel } from "@/components/playground/panel";
import { SavedPromptsBar } from "@/components/playground/saved-prompts-bar";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { pendingToolCalls, type UiMessage } from "@/lib/playground/conversation";
import { MAX_PANELS, type PanelState } from "@/lib/playground/panels";
import { pickerModelsQuery, savedPromptsQuery } from "@/lib/playground/query-options";
import { usePanelStreams } from "./use-panel-streams";
import { usePanels } from "./use-panels";
import { useSavedPrompts } from "./use-saved-prompts";
import { ViewCode } from "./view-code";

type Notice = { tone: "success" | "error"; text: string };

export function PlaygroundView({ canRun, defaultModelId, compareModelId }: { canRun: boolean; defaultModelId: string; compareModelId?: string }) {
  const models = useQuery(pickerModelsQuery);
  const savedPrompts = useQuery(savedPromptsQuery);
  const state = usePanels(defaultModelId, compareModelId);
  const { panels, errorsByPanel } = state;
  const streams = usePanelStreams(state);
  const [draft, setDraft] = useState("");
  const [notice, setNotice] = useState<Notice | null>(null);
  const [codeFor, setCodeFor] = useState<string | null>(null);
  const saved = useSavedPrompts({
    snapshot: state.snapshot,
    restore: (data) => {
      streams.stopAll();
      state.restore(data);
    },
    onNotice: setNotice,
  });

  const anyStreaming = panels.some((p) => p.streaming);
  const modelList = models.data ?? [];

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
    for (const panel of panels) streams.start(panel, [...panel.messages, { role: "user", content: text }]);
  }

  function answerTools(panel: PanelState, results: Record<string, string>) {
    const toolMessages: UiMessage[] = pendingToolCalls(panel.messages).map((c) => ({ role: "tool", toolCallId: c.id, name: c.name, content: results[c.id] ?? "" }));
    streams.start(panel, [...panel.messages, ...toolMessages]);
  }

  const codePanel = panels.find((p) => p.key === codeFor);

  return (
    <div className="flex flex-col gap-3 md:h-[calc(100vh-4rem)] md:min-h-[560px]">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-2 text-2xl font-semibold tracking-tight">Playground</h1>
        <SavedPromptsBar
          prompts={savedPrompts.data ?? []}
          loading={savedPrompts.isPending}
          loadError={savedPrompts.isError ? savedPrompts.error.message : null}
          current={saved.current}
          canSave={canRun}
          onLoad={saved.load}
          onSave={saved.save}
          onRename={saved.rename}
          onDelete={saved.remove}
        />
        <div className="flex items-center gap-3 md:ml-auto">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={state.syncSettings} onChange={(e) => state.toggleSync(e.target.checked)} className="accent-accent-600" />
            Sync settings
          </label>
          <Button variant="secondary" size="sm" disabled={panels.length >= MAX_PANELS || anyStreaming} onClick={state.addPanel}>
            Add panel
          </Button>
        </div>
      </div>
      {notice ? (
        <Alert tone={notice.tone} className="flex items-center justify-between gap-3">
          <span>{notice.text}</span>
          <button type="button" onClick={() => setNotice(null)} className="text-xs underline">
            Dismiss
          </button>
        </Alert>
      ) : null}
      {models.isError ? (
        <Alert tone="error" className="flex items-center justify-between gap-3">
          <span>Could not load the model list: {models.error.message}</span>
          <button type="button" onClick={() => void models.refetch()} className="text-xs underline">
            Try again
          </button>
        </Alert>
      ) : models.isSuccess && modelList.length === 0 ? (
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
          value={state.systemPrompt}
          onChange={(e) => state.setSystemPrompt(e.target.value)}
          placeholder="You are a helpful assistant."
          className="block w-full resize-y rounded-lg border border-zinc-200 bg-white px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900"
        />
      </div>
      {/* Side by side from md up; stacked on a phone, each panel tall enough to read. */}
      <div
        className="grid min-h-0 flex-1 grid-cols-1 gap-3 *:min-h-80 md:grid-cols-[repeat(var(--panels),minmax(0,1fr))] md:*:min-h-0"
        style={{ "--panels": panels.length } as CSSProperties}
      >
        {panels.map((p, i) => (
          <Panel
            key={p.key}
            index={i}
            modelId={p.modelId}
            models={modelList}
            settings={p.settings}
            settingsErrors={errorsByPanel.get(p.key) ?? {}}
            messages={p.messages}
            streaming={p.streaming}
            showSettings={p.showSettings}
            pendingToolCalls={pendingToolCalls(p.messages)}
            canRun={canRun}
            canRemove={panels.length > 1}
            onModelChange={(modelId) => state.updatePanel(p.key, (x) => ({ ...x, modelId }))}
            onSettingsChange={(patch) => state.changeSettings(p.key, patch)}
            onToggleSettings={() => state.updatePanel(p.key, (x) => ({ ...x, showSettings: !x.showSettings }))}
            onViewCode={() => setCodeFor(p.key)}
            onStop={() => streams.stop(p.key)}
            onRemove={() => state.removePanel(p.key)}
            onAnswerTools={(results) => answerTools(p, results)}
          />
        ))}
      </div>
      <Composer
        value={draft}
        onChange={setDraft}
        onSend={send}
        onStop={streams.stopAll}
        onClear={state.clearConversations}
        streaming={anyStreaming}
        disabled={!canRun || modelList.length === 0}
        panelCount={panels.length}
      />
      {codePanel ? <ViewCode panel={codePanel} systemPrompt={state.systemPrompt} draft={draft} onClose={() => setCodeFor(null)} /> : null}
    </div>
  );
}
