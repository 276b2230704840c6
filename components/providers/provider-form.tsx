"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useFormSubmit, type FormProps } from "@/components/ui/use-form-submit";
import type { ProviderDto } from "@/lib/providers/query-options";

export interface ProviderFormValues {
  name: string;
  baseUrl: string;
  apiKey: string;
  removeApiKey: boolean;
}

/** Adds an OpenAI-compatible provider, or edits one when `editing` is set. */
export function ProviderForm({
  editing,
  onSubmit,
  onCancel,
  pending,
  error,
  fieldErrors,
}: FormProps<ProviderFormValues> & { editing: ProviderDto | null; onCancel?: () => void }) {
  const { formRef, submit, field } = useFormSubmit({
    onSubmit,
    fieldErrors,
    read: (value, form): ProviderFormValues => ({ name: value("name"), baseUrl: value("baseUrl"), apiKey: value("apiKey"), removeApiKey: form.get("removeApiKey") === "on" }),
  });
  const label = editing ? `Edit ${editing.name}` : "Add a provider";

  return (
    // The key keeps the uncontrolled fields in step with the provider being edited.
    <form key={editing?.id ?? "new"} ref={formRef} onSubmit={submit} className="space-y-4 p-5" noValidate aria-label={label}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField label="Name" name="name" required defaultValue={editing?.name} placeholder="e.g. vLLM on gpu-1" error={field("name")} />
        <TextField
          label="Base URL"
          name="baseUrl"
          required
          inputMode="url"
          defaultValue={editing?.baseUrl ?? ""}
          placeholder="http://127.0.0.1:8000/v1"
          hint="Everything before /chat/completions. Cloud metadata and link-local addresses are refused."
          error={field("baseUrl")}
        />
        <TextField
          label="API key"
          name="apiKey"
          type="password"
          autoComplete="new-password"
          placeholder={editing?.apiKeyHint ? `Stored key ${editing.apiKeyHint}` : "Optional"}
          hint={
            editing
              ? "Leave empty to keep the stored key. Keys are encrypted at rest and never shown again."
              : "Optional. Encrypted at rest; only its last four characters are ever shown."
          }
          error={field("apiKey")}
        />
        {editing?.apiKeyHint ? (
          <label className="flex items-center gap-2 self-center text-sm text-zinc-700 dark:text-zinc-300">
            <input type="checkbox" name="removeApiKey" className="h-4 w-4 rounded border-zinc-300 dark:border-zinc-700" />
            Remove the stored key ({editing.apiKeyHint})
          </label>
        ) : null}
      </div>
      <div className="flex justify-end gap-2">
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save changes" : "Add provider"}
        </Button>
      </div>
    </form>
  );
}
