"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

export interface CodeTab {
  id: string;
  label: string;
  code: string;
}

/** A modal with the request as code; the native <dialog> gives focus trapping and Escape to close. */
export function CodeDialog({ title, tabs, note, onClose }: { title: string; tabs: CodeTab[]; note?: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [active, setActive] = useState(tabs[0]?.id);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      className="m-auto w-[min(900px,92vw)] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="font-semibold">{title}</h2>
        <Button variant="ghost" size="sm" onClick={() => ref.current?.close()}>
          Close
        </Button>
      </div>
      <div role="tablist" aria-label="Language" className="flex gap-1 px-4 pt-3">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            aria-selected={t.id === current?.id}
            onClick={() => setActive(t.id)}
            className={`rounded-md px-3 py-1 text-sm ${t.id === current?.id ? "bg-accent-100 text-accent-800 dark:bg-accent-700/30 dark:text-accent-100" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="p-4" role="tabpanel">
        {note ? <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">{note}</p> : null}
        <div className="relative">
          <Button
            variant="secondary"
            size="sm"
            className="absolute right-2 top-2"
            onClick={() => {
              void navigator.clipboard?.writeText(current?.code ?? "").then(() => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              });
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
          <pre data-testid="code" className="max-h-[60vh] overflow-auto rounded-md bg-zinc-950 p-4 pr-20 font-mono text-xs leading-relaxed text-zinc-100">
            {current?.code}
          </pre>
        </div>
      </div>
    </dialog>
  );
}
