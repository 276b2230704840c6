"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/errors";
import { useFormAction } from "./use-form-action";

export interface SetupInput {
  name: string;
  email: string;
  password: string;
  confirm: string;
}

export function SetupForm({
  action,
  minPasswordLength,
}: {
  action: (input: SetupInput) => Promise<ActionResult<{ email: string }>>;
  minPasswordLength: number;
}) {
  const router = useRouter();
  const { pending, error, field, run } = useFormAction(action);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "");
    run({ name: value("name"), email: value("email"), password: value("password"), confirm: value("confirm") }, () => {
      router.replace("/playground");
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField label="Your name" name="name" autoComplete="name" required autoFocus error={field("name")} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={field("email")} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${minPasswordLength} characters.`}
        error={field("password")}
      />
      <TextField label="Confirm password" name="confirm" type="password" autoComplete="new-password" required error={field("confirm")} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating…" : "Create admin and sign in"}
      </Button>
    </form>
  );
}
