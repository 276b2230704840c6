"use client";
// The client half of defineAction: a server action's ActionResult becomes a react-query mutation.
// A failure is thrown as an ActionError that keeps the server's code and field errors, so views
// branch on codes and forms show messages on their fields.
import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from "@tanstack/react-query";
import type { ActionResult, ErrorCode, FieldErrors } from "@/lib/errors";

export class ActionError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;

  constructor(failure: { code: ErrorCode; message: string; fieldErrors?: FieldErrors }) {
    super(failure.message);
    this.name = "ActionError";
    this.code = failure.code;
    this.fieldErrors = failure.fieldErrors;
  }

  /** The message to show above a form: null when every problem is shown on its own field. */
  get formMessage(): string | null {
    return this.fieldErrors && Object.keys(this.fieldErrors).length > 0 ? null : this.message;
  }
}

/**
 * The data of a successful result, or an ActionError carrying the failure. A call that never got
 * an answer (offline, server restarting) is an ActionError too, so every error has a code.
 */
export async function unwrapAction<T>(result: ActionResult<T> | Promise<ActionResult<T>>): Promise<T> {
  let r: ActionResult<T>;
  try {
    r = await result;
  } catch (cause) {
    throw Object.assign(new ActionError({ code: "UNAVAILABLE", message: "Could not reach the console. Check your connection and try again." }), { cause });
  }
  if (!r.ok) throw new ActionError(r);
  return r.data;
}

export interface ActionMutationOptions<TInput, TData>
  extends Omit<UseMutationOptions<TData, ActionError, TInput>, "mutationFn"> {
  /** React-query keys (from lib/<area>/query-options.ts) to invalidate after a success. */
  invalidate?: QueryKey[];
}

export function useActionMutation<TInput, TData>(
  action: (input: TInput) => Promise<ActionResult<TData>>,
  { invalidate = [], onSuccess, ...options }: ActionMutationOptions<TInput, TData> = {},
) {
  const queryClient = useQueryClient();
  return useMutation<TData, ActionError, TInput>({
    ...options,
    mutationFn: (input) => unwrapAction(action(input)),
    onSuccess: (...args) => {
      for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
      return onSuccess?.(...args);
    },
  });
}
