import { afterEach, describe, expect, it, vi } from "vitest";
import { TtlCache } from "./ttl-cache";

afterEach(() => {
  vi.useRealTimers();
});

describe("TtlCache", () => {
  it("returns a value until its time is up, then forgets it", () => {
    vi.useFakeTimers();
    const cache = new TtlCache<string, number>(1_000);
    cache.set("a", 1);
    vi.advanceTimersByTime(999);
    expect(cache.get("a")).toBe(1);
    vi.advanceTimersByTime(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the oldest set first", () => {
    const cache = new TtlCache<number, string>(60_000, 3);
    for (let i = 0; i < 10; i++) cache.set(i, `v${i}`);
    expect(cache.size).toBe(3);
    expect([cache.get(6), cache.get(7), cache.get(8), cache.get(9)]).toEqual([undefined, "v7", "v8", "v9"]);
    // Setting an existing key again makes it the newest.
    cache.set(7, "again");
    cache.set(10, "v10");
    expect(cache.get(8)).toBeUndefined();
    expect(cache.get(7)).toBe("again");
  });

  it("deletes and clears", () => {
    const cache = new TtlCache<string, number>(60_000);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.delete("a")).toBe(true);
    expect(cache.get("a")).toBeUndefined();
    cache.clear();
    expect(cache.get("b")).toBeUndefined();
  });

  it("refuses a ttl or a bound that cannot work", () => {
    expect(() => new TtlCache(0)).toThrow(/ttlMs/);
    expect(() => new TtlCache(1_000, 0)).toThrow(/maxEntries/);
  });
});
