"use client";
// The playground's panels: their models, settings and conversations, the shared system prompt,
// and "Sync settings". Streaming and saved prompts act on this state through the setters.
import { useCallback, useState } from "react";
import { settingsToParams, type PanelSettings } from "@/lib/playground/panel-settings";
import { MAX_PANELS, newPanel, panelsToSavedPrompt, savedPromptToPanels, type PanelState } from "@/lib/playground/panels";
import type { SavedPromptData } from "@/lib/playground/saved-prompt-data";

/** `compareModelId` opens a second panel beside the default ("Compare in playground" from a fine-tuning job). */
export function usePanels(defaultModelId: string, compareModelId?: string) {
  const [panels, setPanels] = useState<PanelState[]>(() =>
    compareModelId ? [newPanel(defaultModelId), newPanel(compareModelId)] : [newPanel(defaultModelId)],
  );
  const [systemPrompt, setSystemPrompt] = useState("");
  const [syncSettings, setSyncSettings] = useState(false);

  const updatePanel = useCallback((key: string, fn: (p: PanelState) => PanelState) => {
    setPanels((ps) => ps.map((p) => (p.key === key ? fn(p) : p)));
  }, []);

  function changeSettings(key: string, patch: Partial<PanelSettings>) {
    setPanels((ps) => ps.map((p) => (syncSettings || p.key === key ? { ...p, settings: { ...p.settings, ...patch } } : p)));
  }

  function toggleSync(on: boolean) {
    setSyncSettings(on);
    // Turning sync on makes every panel use the first panel's settings.
    if (on) setPanels((ps) => ps.map((p) => ({ ...p, settings: ps[0].settings })));
  }

  /** A new panel copies the last one's model and settings. */
  function addPanel() {
    setPanels((ps) => (ps.length >= MAX_PANELS ? ps : [...ps, newPanel(ps.at(-1)?.modelId ?? defaultModelId, ps.at(-1)?.settings)]));
  }

  function removePanel(key: string) {
    setPanels((ps) => ps.filter((p) => p.key !== key));
  }

  function clearConversations() {
    setPanels((ps) => ps.map((p) => ({ ...p, messages: [] })));
  }

  function restore(data: SavedPromptData) {
    const restored = savedPromptToPanels(data);
    setSystemPrompt(restored.systemPrompt);
    setSyncSettings(restored.syncSettings);
    setPanels(restored.panels);
  }

  const errorsByPanel = new Map(panels.map((p) => [p.key, settingsToParams(p.settings).errors]));

  return {
    panels,
    setPanels,
    updatePanel,
    systemPrompt,
    setSystemPrompt,
    syncSettings,
    toggleSync,
    changeSettings,
    addPanel,
    removePanel,
    clearConversations,
    restore,
    errorsByPanel,
    snapshot: () => panelsToSavedPrompt(systemPrompt, syncSettings, panels),
  };
}
