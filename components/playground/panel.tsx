"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import type { ToolCallUi, UiMessage } from "@/lib/playground/conversation";
import type { PanelSettings } from "@/lib/playground/panel-settings";
import { MessageView } from "./message-view";
import { SettingsForm } from "./settings-form";

export interface PickerOption {
  id: string;
  displayName: string;
  providerName: string;
  contextLength: number | null;
  price: { inputPerMillion: number; outputPerMillion: number } | null;
  /** Deployments: how it answers now ("scaled to zero"), and a sentence when the first answer will wait. */
  status?: string | null;
  note?: string | null;
}

function optionLabel(m: PickerOption): string {
  const parts = [m.displayName];
  if (m.status) parts.push(m.status);
  if (m.contextLength) parts.push(`${m.contextLength >= 1024 ? `${Math.round(m.contextLength / 1024)}k` : m.contextLength} ctx`);
  if (m.price) parts.push(`$${m.price.inputPerMillion}/$${m.price.outputPerMillion} per 1M`);
  return parts.join(" · ");
}

export interface PanelProps {
  index: number;
  modelId: string;
  models: PickerOption[];
  settings: PanelSettings;
  settingsErrors: Record<string, string>;
  messages: UiMessage[];
  streaming: boolean;
  showSettings: boolean;
  pendingToolCalls: ToolCallUi[];
  canRun: boolean;
  canRemove: boolean;
  onModelChange: (modelId: string) => void;
  onSettingsChange: (patch: Partial<PanelSettings>) => void;
  onToggleSettings: () => void;
  onViewCode: () => void;
  onStop: () => void;
  onRemove: () => void;
  onAnswerTools: (results: Record<string, string>) => void;
}

export function Panel(props: PanelProps) {
  const label = `Panel ${props.index + 1}`;
  const scroller = useRef<HTMLDivElement>(null);
  const note = props.models.find((m) => m.id === props.modelId)?.note;
  const groups = new Map<string, PickerOption[]>();
  for (const m of props.models) groups.set(m.providerName, [...(groups.get(m.providerName) ?? []), m]);

  // Follow the answer as it streams, unless the reader scrolled up.
  const last = props.messages.at(-1);
  const lastLength = last && last.role === "assistant" ? last.content.length + last.toolCalls.length : props.messages.length;
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 120) el.scrollTop = el.scrollHeight;
  }, [lastLength]);

  return (
    <section aria-label={label} className="flex min-h-0 min-w-0 flex-col rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <header className="space-y-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <div className="flex items-center gap-1">
          <span className="mr-auto whitespace-nowrap text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</span>
          <Button variant="ghost" size="sm" className="px-2" aria-expanded={props.showSettings} aria-label={`Settings for ${label.toLowerCase()}`} onClick={props.onToggleSettings}>
            Settings
          </Button>
          <Button variant="ghost" size="sm" className="px-2" aria-label={`View code for ${label.toLowerCase()}`} onClick={props.onViewCode} disabled={!props.modelId}>
            Code
          </Button>
          {props.streaming ? (
            <Button variant="danger" size="sm" className="px-2" aria-label={`Stop ${label.toLowerCase()}`} onClick={props.onStop}>
              Stop
            </Button>
          ) : null}
          {props.canRemove ? (
            <Button variant="ghost" size="sm" className="px-2" aria-label={`Remove ${label.toLowerCase()}`} onClick={props.onRemove} disabled={props.streaming}>
              ✕
            </Button>
          ) : null}
        </div>
        <select
          aria-label={`Model for ${label.toLowerCase()}`}
          value={props.modelId}
          onChange={(e) => props.onModelChange(e.target.value)}
          disabled={props.streaming}
          className="w-full min-w-0 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {props.models.length === 0 ? <option value="">No models available</option> : null}
          {[...groups].map(([provider, list]) => (
            <optgroup key={provider} label={provider}>
              {list.map((m) => (
                <option key={m.id} value={m.id}>
                  {optionLabel(m)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {note ? <p className="text-xs text-amber-700 dark:text-amber-400">{note}</p> : null}
      </header>
      {props.showSettings ? (
        <div className="max-h-[45vh] overflow-y-auto border-b border-zinc-200 bg-zinc-50 px-3 py-3 dark:border-zinc-800 dark:bg-zinc-950/50">
          <SettingsForm settings={props.settings} onChange={props.onSettingsChange} errors={props.settingsErrors} />
        </div>
      ) : Object.keys(props.settingsErrors).length ? (
        <p className="border-b border-zinc-200 px-3 py-2 text-xs text-red-600 dark:border-zinc-800 dark:text-red-400">
          {Object.values(props.settingsErrors)[0]} (open Settings to fix it)
        </p>
      ) : null}
      <div ref={scroller} className="min-h-0 flex-1 space-y-4 overflow-y-auto px-3 py-3" aria-live="polite" data-testid="messages">
        {props.messages.length === 0 ? (
          <p className="pt-8 text-center text-sm text-zinc-400">{props.canRun ? "Write a message below to start." : "Viewers can load saved prompts; ask an admin for the member role to run models."}</p>
        ) : (
          props.messages.map((m, i) => <MessageView key={i} message={m} />)
        )}
      </div>
      {props.pendingToolCalls.length && props.canRun ? <ToolAnswerForm calls={props.pendingToolCalls} onSubmit={props.onAnswerTools} /> : null}
    </section>
  );
}

function ToolAnswerForm({ calls, onSubmit }: { calls: ToolCallUi[]; onSubmit: (results: Record<string, string>) => void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(Object.fromEntries(calls.map((c) => [c.id, values[c.id] ?? ""])));
    setValues({});
  }
  return (
    <form onSubmit={submit} className="space-y-2 border-t border-zinc-200 px-3 py-2 dark:border-zinc-800" aria-label="Answer tool calls">
      {calls.map((c) => (
        <label key={c.id} className="block text-xs">
          <span className="font-medium">Result of {c.name}</span>
          <textarea
            rows={2}
            value={values[c.id] ?? ""}
            onChange={(e) => setValues((v) => ({ ...v, [c.id]: e.target.value }))}
            className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
            placeholder='e.g. {"temperature": 21}'
          />
        </label>
      ))}
      <div className="flex justify-end">
        <Button type="submit" size="sm">
          Send tool results
        </Button>
      </div>
    </form>
  );
}
