// The model calls running in this process, by the user they run for, so that removing a member (or
// demoting them to viewer) ends their streams at once instead of letting a paid call run on.
// Dependency-free: lib/auth calls endCallsOf after such a change commits.
import { AppError } from "@/lib/errors";

const holder = globalThis as unknown as { __kindlingActiveCalls?: Map<string, Set<AbortController>> };

function calls(): Map<string, Set<AbortController>> {
  holder.__kindlingActiveCalls ??= new Map();
  return holder.__kindlingActiveCalls;
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

/** Aborts every running call of `userId` with a FORBIDDEN reason; returns how many there were. */
export function endCallsOf(userId: string, why = "Your access was removed while this answer was streaming."): number {
  const set = calls().get(userId);
  if (!set) return 0;
  const n = set.size;
  for (const controller of [...set]) controller.abort(new AppError("FORBIDDEN", why));
  calls().delete(userId);
  return n;
}
