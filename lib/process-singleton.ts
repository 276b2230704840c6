// One value per process for a key. Next.js loads instrumentation, route handlers and pages as
// separate module graphs in one process (and the console's own server is another), so a
// module-level `let` would exist once per graph: every per-process holder goes through here.
const REGISTRY = Symbol.for("kindling.process-singletons");

type Holder = typeof globalThis & { [REGISTRY]?: Map<string, unknown> };

/** The process's value for `key`, made by `create` on first use. */
export function processSingleton<T>(key: string, create: () => T): T {
  const holder = globalThis as Holder;
  const values = (holder[REGISTRY] ??= new Map());
  if (!values.has(key)) values.set(key, create());
  return values.get(key) as T;
}
