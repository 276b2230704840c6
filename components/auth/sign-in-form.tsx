"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/errors";
import { useFormAction } from "./use-form-action";

export interface SignInInput {
  email: string;
  password: string;
}

export function SignInForm({ action }: { action: (input: SignInInput) => Promise<ActionResult<{ name: string }>> }) {
  const router = useRouter();
  const { pending, error, field, run } = useFormAction(action);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    run({ email: String(form.get("email")), password: String(form.get("password")) }, () => {
      router.replace("/playground");
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus error={field("email")} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={field("password")} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
