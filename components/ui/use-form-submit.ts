"use client";

// The console's create and edit forms: uncontrolled fields read on submit and handed up with a way to
// clear them once the write succeeds, and each field's first error from the server.
import { useRef, type FormEvent } from "react";
import type { UseMutationResult } from "@tanstack/react-query";
import type { ActionError } from "@/lib/client/use-action-mutation";
import type { FieldErrors } from "@/lib/errors";

/** What a view hands each of its forms: where the input goes, and the state of the last write. */
export interface FormProps<I> {
  onSubmit: (input: I, reset: () => void) => void;
  pending: boolean;
  error: string | null;
  fieldErrors: FieldErrors;
}

/** An onSubmit that keeps the browser from posting the form and runs `submit` instead. */
export const handleSubmit = (submit: () => void) => (event: FormEvent) => {
  event.preventDefault();
  submit();
};

/** A form's props from the mutation (useActionMutation) that submits it: the form clears once it succeeds. */
export function formPropsOf<I>(mutation: UseMutationResult<unknown, ActionError, I>): FormProps<I> {
  return {
    onSubmit: (input, reset) => mutation.mutate(input, { onSuccess: reset }),
    pending: mutation.isPending,
    error: mutation.error?.formMessage ?? null,
    fieldErrors: mutation.error?.fieldErrors ?? {},
  };
}

/** `read` turns the submitted form into the input; `value(name)` is a field's text ("" when absent). */
export function useFormSubmit<I>({
  onSubmit,
  fieldErrors,
  read,
}: {
  onSubmit: (input: I, reset: () => void) => void;
  fieldErrors: FieldErrors;
  read: (value: (name: string) => string, form: FormData) => I;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit(
      read((name) => String(form.get(name) ?? ""), form),
      () => formRef.current?.reset(),
    );
  }
  return { formRef, submit, field: (name: string) => fieldErrors[name]?.[0] };
}
