"use client";
// "Code" on a panel: the request the panel would send next, as curl, Python and TypeScript.
import { useQuery } from "@tanstack/react-query";
import { CodeDialog } from "@/components/playground/code-dialog";
import { curlSnippet, pythonSnippet, typescriptSnippet } from "@/lib/playground/code-snippets";
import { toChatMessages, type UiMessage } from "@/lib/playground/conversation";
import { settingsToParams } from "@/lib/playground/panel-settings";
import type { PanelState } from "@/lib/playground/panels";
import { endpointQuery } from "@/lib/playground/query-options";

export function ViewCode({ panel, systemPrompt, draft, onClose }: { panel: PanelState; systemPrompt: string; draft: string; onClose: () => void }) {
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
