"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";

interface Summary {
  id: string;
  name: string;
  createdByEmail: string | null;
}

export function SavedPromptsBar({
  prompts,
  loading,
  loadError,
  current,
  canSave,
  onLoad,
  onSave,
  onRename,
  onDelete,
}: {
  prompts: Summary[];
  loading: boolean;
  loadError: string | null;
  current: { id: string; name: string } | null;
  canSave: boolean;
  onLoad: (id: string) => void;
  onSave: (name: string) => Promise<void>;
  onRename: (name: string) => Promise<void>;
  onDelete: () => void;
}) {
  const [mode, setMode] = useState<"idle" | "save" | "rename">("idle");
  const [name, setName] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return;
    await (mode === "save" ? onSave(name.trim()) : onRename(name.trim()));
    setMode("idle");
    setName("");
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <select
        aria-label="Load a saved prompt"
        value=""
        onChange={(e) => e.target.value && onLoad(e.target.value)}
        disabled={loading || prompts.length === 0}
        className="max-w-64 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">{loading ? "Loading saved prompts…" : loadError ? "Saved prompts unavailable" : prompts.length ? "Load a saved prompt…" : "No saved prompts yet"}</option>
        {prompts.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.createdByEmail ? ` — ${p.createdByEmail}` : ""}
          </option>
        ))}
      </select>
      {current ? <span className="text-sm text-zinc-600 dark:text-zinc-400">“{current.name}”</span> : null}
      {canSave && mode === "idle" ? (
        <>
          <Button variant="secondary" size="sm" onClick={() => setMode("save")}>
            Save as…
          </Button>
          {current ? (
            <>
              <Button variant="ghost" size="sm" onClick={() => (setName(current.name), setMode("rename"))}>
                Rename
              </Button>
              <Button variant="ghost" size="sm" onClick={onDelete}>
                Delete
              </Button>
            </>
          ) : null}
        </>
      ) : null}
      {mode !== "idle" ? (
        <form onSubmit={submit} className="flex items-center gap-2" aria-label={mode === "save" ? "Save prompt" : "Rename prompt"}>
          <input
            autoFocus
            aria-label={mode === "save" ? "Name for the saved prompt" : "New name"}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={120}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <Button type="submit" size="sm" disabled={!name.trim()}>
            {mode === "save" ? "Save" : "Rename"}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setMode("idle")}>
            Cancel
          </Button>
        </form>
      ) : null}
    </div>
  );
}
