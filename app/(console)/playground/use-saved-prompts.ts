"use client";
// Saved prompts from the playground's bar: load one into the panels, save the panels under a
// name, rename or delete the one loaded. Each reports what happened through onNotice.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import { savedPromptQuery, savedPromptsQuery } from "@/lib/playground/query-options";
import type { SavedPromptData } from "@/lib/playground/saved-prompt-data";
import { deletePromptAction, renamePromptAction, savePromptAction } from "./actions";

type Notice = { tone: "success" | "error"; text: string };

export function useSavedPrompts({
  snapshot,
  restore,
  onNotice,
}: {
  snapshot: () => SavedPromptData;
  restore: (data: SavedPromptData) => void;
  onNotice: (notice: Notice) => void;
}) {
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<{ id: string; name: string } | null>(null);
  const invalidate = [savedPromptsQuery.queryKey];
  const onError = (e: Error) => onNotice({ tone: "error", text: e.message });

  const save = useActionMutation((name: string) => savePromptAction({ name, data: snapshot() }), {
    invalidate,
    onSuccess: (saved) => {
      setCurrent({ id: saved.id, name: saved.name });
      onNotice({ tone: "success", text: `Saved “${saved.name}” for the team.` });
    },
    onError,
  });
  const rename = useActionMutation((v: { id: string; name: string }) => renamePromptAction(v), {
    invalidate,
    onSuccess: (saved) => {
      setCurrent({ id: saved.id, name: saved.name });
      onNotice({ tone: "success", text: `Renamed to “${saved.name}”.` });
    },
    onError,
  });
  const remove = useActionMutation((v: { id: string; name: string }) => deletePromptAction({ id: v.id }), {
    invalidate,
    onSuccess: (_d, v) => {
      setCurrent(null);
      onNotice({ tone: "success", text: `Deleted “${v.name}”.` });
    },
    onError,
  });

  async function load(id: string) {
    try {
      const saved = await queryClient.fetchQuery(savedPromptQuery(id));
      restore(saved.data);
      setCurrent({ id: saved.id, name: saved.name });
      onNotice({ tone: "success", text: `Loaded “${saved.name}”.` });
    } catch (error) {
      onError(error as Error);
    }
  }

  // The bar closes its name form once these settle; a failure is already reported by onError.
  const settle = (p: Promise<unknown>) => p.then(
    () => undefined,
    () => undefined,
  );

  return {
    current,
    load,
    save: (name: string) => settle(save.mutateAsync(name)),
    rename: (name: string) => settle(current ? rename.mutateAsync({ id: current.id, name }) : Promise.resolve()),
    remove: () => {
      if (current && window.confirm(`Delete “${current.name}” for everyone?`)) remove.mutate(current);
    },
  };
}
