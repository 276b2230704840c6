import { describe, expect, it } from "vitest";
import { apiKeyHint, createKeyring, deriveKey, KeyDecryptError, openApiKey, sealApiKey } from "./crypto";

const OLD = "old-secret-".padEnd(40, "o");
const NEW = "new-secret-".padEnd(40, "n");
const KEY = "sk-live-0123456789abcdef";

describe("provider key encryption", () => {
  it("round-trips, with a fresh IV each time and no plaintext in the ciphertext", () => {
    const ring = createKeyring(NEW);
    const a = sealApiKey(KEY, "prov-1", ring);
    const b = sealApiKey(KEY, "prov-1", ring);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain("0123456789");
    expect(a.version).toBe(ring.current.version);
    expect(openApiKey(a, "prov-1", ring)).toBe(KEY);
  });

  it("versions are 31-bit fingerprints that differ per secret and are stable", () => {
    const v = deriveKey(NEW).version;
    expect(Number.isInteger(v) && v >= 0 && v < 2 ** 31).toBe(true);
    expect(deriveKey(NEW).version).toBe(v);
    expect(deriveKey(OLD).version).not.toBe(v);
  });

  it("detects tampering with the data, the tag or the IV, and a ciphertext moved to another provider", () => {
    const ring = createKeyring(NEW);
    const sealed = sealApiKey(KEY, "prov-1", ring);
    const [iv, tag, data] = sealed.ciphertext.split(".");
    const flip = (s: string) => {
      const bytes = Buffer.from(s, "base64url");
      bytes[0] ^= 1;
      return bytes.toString("base64url");
    };
    for (const ciphertext of [`${iv}.${tag}.${flip(data)}`, `${iv}.${flip(tag)}.${data}`, `${flip(iv)}.${tag}.${data}`, "garbage"]) {
      expect(() => openApiKey({ ciphertext, version: sealed.version }, "prov-1", ring)).toThrow(KeyDecryptError);
    }
    expect(() => openApiKey(sealed, "prov-2", ring)).toThrow(KeyDecryptError);
  });

  it("rotation: an old secret in the previous list still opens old rows; without it, a clear error", () => {
    const oldRing = createKeyring(OLD);
    const sealed = sealApiKey(KEY, "prov-1", oldRing);
    const rotated = createKeyring(NEW, [OLD]);
    expect(openApiKey(sealed, "prov-1", rotated)).toBe(KEY);
    const resealed = sealApiKey(openApiKey(sealed, "prov-1", rotated), "prov-1", rotated);
    expect(resealed.version).toBe(deriveKey(NEW).version);
    expect(openApiKey(resealed, "prov-1", createKeyring(NEW))).toBe(KEY);
    const forgotten = createKeyring(NEW);
    expect(() => openApiKey(sealed, "prov-1", forgotten)).toThrow(/KINDLING_SECRET_PREVIOUS/);
  });

  it("a key's hint shows only its last four characters", () => {
    expect(apiKeyHint(KEY)).toBe("…cdef");
    expect(apiKeyHint("short")).toBe("…");
  });
});
