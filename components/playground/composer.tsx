"use client";

import { useId, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";

export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  onClear,
  streaming,
  disabled,
  panelCount,
}: {
  value: string;
  onChange: (v: string) => void;
  onSend: () => void;
  onStop: () => void;
  onClear: () => void;
  streaming: boolean;
  disabled: boolean;
  panelCount: number;
}) {
  const id = useId();
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!streaming && !disabled) onSend();
    }
  }
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      <label htmlFor={id} className="sr-only">
        Message
      </label>
      <textarea
        id={id}
        rows={3}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={disabled}
        placeholder={disabled ? "Your role cannot run models." : `Message ${panelCount > 1 ? `all ${panelCount} panels` : "the model"}… (Ctrl+Enter to send)`}
        className="block w-full resize-y rounded-md border-0 bg-transparent px-2 py-1 text-sm focus:ring-0"
      />
      <div className="flex items-center justify-between gap-2 pt-2">
        <Button variant="ghost" size="sm" onClick={onClear} disabled={streaming}>
          Clear conversation
        </Button>
        <div className="flex items-center gap-2">
          <span className="hidden text-xs text-zinc-500 sm:inline">Ctrl/⌘ + Enter</span>
          {streaming ? (
            <Button variant="danger" onClick={onStop}>
              Stop
            </Button>
          ) : (
            <Button onClick={onSend} disabled={disabled || value.trim() === ""}>
              Send
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
