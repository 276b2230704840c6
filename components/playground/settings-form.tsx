"use client";

import { useId, type ReactNode } from "react";
import { EXAMPLE_TOOLS, type PanelSettings } from "@/lib/playground/panel-settings";

const input =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

function NumberRow({
  label,
  value,
  min,
  max,
  step,
  onChange,
  hint,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <div title={hint}>
      <div className="flex items-center justify-between">
        <label htmlFor={id} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          {label}
        </label>
        <input
          type="number"
          aria-label={`${label} value`}
          value={value}
          min={min}
          max={max}
          step={step}
          onChange={(e) => e.target.value !== "" && onChange(Number(e.target.value))}
          className="w-20 rounded border border-zinc-300 bg-white px-1.5 py-0.5 text-right text-xs dark:border-zinc-700 dark:bg-zinc-900"
        />
      </div>
      <input id={id} type="range" value={value} min={min} max={max} step={step} onChange={(e) => onChange(Number(e.target.value))} className="w-full accent-accent-600" />
    </div>
  );
}

/** A labelled control with its error under it; with `action` (even null) the label shares a row with it. */
function SettingRow({ id, label, action, error, children }: { id: string; label: ReactNode; action?: ReactNode; error?: string; children: ReactNode }) {
  const labelElement = (
    <label htmlFor={id} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
      {label}
    </label>
  );
  return (
    <div>
      {action !== undefined ? (
        <div className="flex items-center justify-between">
          {labelElement}
          {action}
        </div>
      ) : (
        labelElement
      )}
      {children}
      {error ? <p className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}

export function SettingsForm({
  settings,
  onChange,
  errors,
}: {
  settings: PanelSettings;
  onChange: (patch: Partial<PanelSettings>) => void;
  errors: Record<string, string>;
}) {
  const ids = { stop: useId(), seed: useId(), format: useId(), schema: useId(), tools: useId(), choice: useId() };
  return (
    <div className="space-y-3 text-sm">
      <NumberRow label="Temperature" value={settings.temperature} min={0} max={2} step={0.05} onChange={(v) => onChange({ temperature: v })} hint="Higher is more random; 0 is greedy." />
      <NumberRow label="Top P" value={settings.topP} min={0.01} max={1} step={0.01} onChange={(v) => onChange({ topP: v })} />
      <NumberRow label="Max tokens" value={settings.maxTokens} min={1} max={8192} step={1} onChange={(v) => onChange({ maxTokens: Math.round(v) })} />
      <NumberRow label="Presence penalty" value={settings.presencePenalty} min={-2} max={2} step={0.1} onChange={(v) => onChange({ presencePenalty: v })} />
      <NumberRow label="Frequency penalty" value={settings.frequencyPenalty} min={-2} max={2} step={0.1} onChange={(v) => onChange({ frequencyPenalty: v })} />
      <div className="grid grid-cols-2 gap-2">
        <SettingRow id={ids.seed} label="Seed" error={errors.seed}>
          <input id={ids.seed} value={settings.seed} onChange={(e) => onChange({ seed: e.target.value })} placeholder="random" inputMode="numeric" className={input} aria-invalid={errors.seed ? true : undefined} />
        </SettingRow>
        <SettingRow id={ids.format} label="Response format">
          <select id={ids.format} value={settings.responseFormat} onChange={(e) => onChange({ responseFormat: e.target.value as PanelSettings["responseFormat"] })} className={input}>
            <option value="text">Text</option>
            <option value="json_object">JSON object</option>
            <option value="json_schema">JSON schema</option>
          </select>
        </SettingRow>
      </div>
      <SettingRow
        id={ids.stop}
        label={
          <>
            Stop sequences <span className="font-normal text-zinc-500">(one per line, \n for a newline)</span>
          </>
        }
        error={errors.stop}
      >
        <textarea id={ids.stop} rows={2} value={settings.stop} onChange={(e) => onChange({ stop: e.target.value })} className={`${input} font-mono text-xs`} />
      </SettingRow>
      {settings.responseFormat === "json_schema" ? (
        <SettingRow id={ids.schema} label="JSON schema" error={errors.schema}>
          <textarea id={ids.schema} rows={8} value={settings.schemaText} onChange={(e) => onChange({ schemaText: e.target.value })} spellCheck={false} className={`${input} font-mono text-xs`} aria-invalid={errors.schema ? true : undefined} />
        </SettingRow>
      ) : null}
      <SettingRow
        id={ids.tools}
        label={
          <>
            Tools <span className="font-normal text-zinc-500">(JSON array)</span>
          </>
        }
        action={
          settings.toolsText.trim() === "" ? (
            <button type="button" onClick={() => onChange({ toolsText: EXAMPLE_TOOLS })} className="text-xs text-accent-700 underline dark:text-accent-100">
              Add an example
            </button>
          ) : null
        }
        error={errors.tools}
      >
        <textarea id={ids.tools} rows={settings.toolsText ? 8 : 2} value={settings.toolsText} onChange={(e) => onChange({ toolsText: e.target.value })} spellCheck={false} placeholder="No tools" className={`${input} font-mono text-xs`} aria-invalid={errors.tools ? true : undefined} />
      </SettingRow>
      {settings.toolsText.trim() ? (
        <SettingRow id={ids.choice} label="Tool choice">
          <select id={ids.choice} value={settings.toolChoice} onChange={(e) => onChange({ toolChoice: e.target.value as PanelSettings["toolChoice"] })} className={input}>
            <option value="auto">auto</option>
            <option value="required">required</option>
            <option value="none">none</option>
          </select>
        </SettingRow>
      ) : null}
    </div>
  );
}
