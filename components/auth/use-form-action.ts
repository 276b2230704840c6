"use client";

import { useState, useTransition } from "react";
import type { ActionResult, FieldErrors } from "@/lib/errors";

/** Runs a server action from a form and keeps its error and field errors for display. */
export function useFormAction<I, T>(action: (input: I) => Promise<ActionResult<T>>) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  function run(input: I, onSuccess: (data: T) => void) {
    startTransition(async () => {
      const result = await action(input);
      if (result.ok) {
        setError(null);
        setFieldErrors({});
        onSuccess(result.data);
      } else {
        // Errors that belong to a field are shown on that field, not repeated above the form.
        const fields = result.fieldErrors ?? {};
        setError(Object.keys(fields).length > 0 ? null : result.message);
        setFieldErrors(fields);
      }
    });
  }

  return { pending, error, fieldErrors, run, field: (name: string) => fieldErrors[name]?.[0] };
}
