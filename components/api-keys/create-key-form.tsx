"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useFormSubmit, type FormProps } from "@/components/ui/use-form-submit";
import type { CreateApiKeyInput } from "@/lib/api-keys/schemas";

/** Empty fields are "no limit"; numbers that do not parse are sent as they are, so the server names them. */
function optionalNumber(value: string): number | null {
  const v = value.trim();
  return v === "" ? null : Number(v);
}

export function CreateKeyForm({
  onSubmit,
  pending,
  error,
  fieldErrors,
}: FormProps<CreateApiKeyInput>) {
  const { formRef, submit, field } = useFormSubmit({
    onSubmit,
    fieldErrors,
    read: (value): CreateApiKeyInput => {
      const expires = value("expiresAt");
      return {
        name: value("name"),
        // A date means the end of that day, UTC.
        expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : null,
        allowedModels: value("allowedModels").split(/[\s,]+/).filter(Boolean),
        rpmLimit: optionalNumber(value("rpmLimit")),
        monthlyBudgetUsd: optionalNumber(value("monthlyBudgetUsd")),
      };
    },
  });

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-4 p-5" noValidate aria-label="Create a key">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" required placeholder="e.g. ci-pipeline" error={field("name")} />
        <TextField label="Expires" name="expiresAt" type="date" hint="Optional. The key stops working after that day (UTC)." error={field("expiresAt")} />
        <TextField
          label="Allowed models"
          name="allowedModels"
          placeholder="kindling-starter, openai/gpt-4o-mini"
          hint="Optional. Model ids as /v1/models lists them, separated by commas; empty for every model."
          error={field("allowedModels")}
        />
        <TextField label="Requests per minute" name="rpmLimit" inputMode="numeric" hint="Optional." error={field("rpmLimit")} />
        <TextField label="Monthly budget (USD)" name="monthlyBudgetUsd" inputMode="decimal" hint="Optional. Counted from the usage rows' costs." error={field("monthlyBudgetUsd")} />
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}
