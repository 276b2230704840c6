import { describe, expect, it, vi } from "vitest";
import { processSingleton } from "./process-singleton";

describe("processSingleton", () => {
  it("makes one value per key and process, whichever copy of the module asks", async () => {
    const key = `test-${Math.random()}`;
    let made = 0;
    const first = processSingleton(key, () => ({ n: ++made }));
    // A second module graph (as Next.js loads) is a fresh import of the same file.
    vi.resetModules();
    const again = await import("./process-singleton");
    expect(again.processSingleton).not.toBe(processSingleton);
    expect(again.processSingleton(key, () => ({ n: ++made }))).toBe(first);
    expect(made).toBe(1);
  });
});
