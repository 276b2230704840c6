"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useFormSubmit, type FormProps } from "@/components/ui/use-form-submit";

export interface AddMemberInput {
  name: string;
  email: string;
  password: string;
  role: "admin" | "member" | "viewer";
}

export const ROLE_OPTIONS = [
  { value: "viewer", label: "Viewer — read only" },
  { value: "member", label: "Member — use and run, read all" },
  { value: "admin", label: "Admin — everything" },
] as const;

export function AddMemberForm({
  onSubmit,
  pending,
  error,
  fieldErrors,
  minPasswordLength,
}: FormProps<AddMemberInput> & { minPasswordLength: number }) {
  const { formRef, submit, field } = useFormSubmit({
    onSubmit,
    fieldErrors,
    read: (value): AddMemberInput => ({ name: value("name"), email: value("email"), password: value("password"), role: value("role") as AddMemberInput["role"] }),
  });

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-4 p-5" noValidate aria-label="Add a member">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" required error={field("name")} />
        <TextField label="Email" name="email" type="email" required autoComplete="off" error={field("email")} />
        <TextField
          label="Temporary password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${minPasswordLength} characters. Share it with them privately.`}
          error={field("password")}
        />
        <SelectField label="Role" name="role" defaultValue="member" options={ROLE_OPTIONS} error={field("role")} />
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add member"}
        </Button>
      </div>
    </form>
  );
}
