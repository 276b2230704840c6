// A bounded cache whose entries expire ttlMs after they were set. Past maxEntries the oldest
// entry is dropped (a Map iterates in insertion order, and set() re-inserts), so a flood of
// distinct keys costs a fixed amount of memory instead of growing without end.
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
  ) {
    if (!(ttlMs > 0)) throw new Error(`TtlCache: ttlMs must be positive, not ${ttlMs}.`);
    if (!(maxEntries >= 1)) throw new Error(`TtlCache: maxEntries must be at least 1, not ${maxEntries}.`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, or undefined when absent or expired (an expired entry is dropped on the way). */
  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
