// The model calls running in this process, by the user they run for, so that removing a member (or
// demoting them to viewer) ends their streams at once instead of letting a paid call run on.
// lib/members calls endCallsOf after such a change commits.
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";

function calls(): Map<string, Set<AbortController>> {
  return processSingleton("kindling.inference.active-calls", () => new Map<string, Set<AbortController>>());
}

/** Tracks a call for `userId`; call the returned function when it is over. */
export function trackCall(userId: string, controller: AbortController): () => void {
  const map = calls();
  let set = map.get(userId);
  if (!set) map.set(userId, (set = new Set()));
  set.add(controller);
  return () => {
    set.delete(controller);
    if (set.size === 0 && map.get(userId) === set) map.delete(userId);
  };
}

/**
 * Aborts every running call of `userId` with a FORBIDDEN reason; returns how many there were.
 * `removed`: the user no longer exists, so their usage rows are written without the user reference.
 */
export function endCallsOf(userId: string, options: { why?: string; removed?: boolean } = {}): number {
  const set = calls().get(userId);
  if (!set) return 0;
  const n = set.size;
  const why = options.why ?? "Your access was removed while this answer was streaming.";
  for (const controller of [...set]) controller.abort(new AppError("FORBIDDEN", why, { cause: { userRemoved: options.removed === true } }));
  calls().delete(userId);
  return n;
}
