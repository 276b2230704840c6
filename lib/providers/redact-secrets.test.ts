import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact-secrets";

const key = "sk-proj-Zq81hfK2nXv0PLm4wQe7TtYb3";

describe("redactSecrets", () => {
  it("cuts the provider's key, echoed whole or with its middle masked", () => {
    expect(redactSecrets(`Incorrect API key provided: ${key}.`, [key])).toBe("Incorrect API key provided: [redacted].");
    expect(redactSecrets("Incorrect API key provided: sk-proj-****************TtYb3.", [key])).not.toContain("TtYb3");
    expect(redactSecrets("key sk-proj-Zq8...Yb3 is invalid", [key])).not.toContain("Zq8");
  });

  it("cuts bearer tokens and labelled credentials it was not told about", () => {
    const out = redactSecrets(
      'echo: {"Authorization":"Bearer abcdef123456"} api_key=hunter22 x-api-key: zzz999zzz token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
    );
    for (const leaked of ["abcdef123456", "hunter22", "zzz999zzz", "eyJhbGci"]) expect(out).not.toContain(leaked);
    expect(redactSecrets("forwarded gsk_abcdefghijklmnop and kdl_0123456789abcdef")).toBe("forwarded [redacted] and [redacted]");
    expect(redactSecrets("key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 refused")).toBe("key [redacted] refused");
  });

  it("drops NUL characters, which a text column refuses", () => {
    expect(redactSecrets("bad\u0000 request")).toBe("bad request");
  });

  it("leaves ordinary error text alone", () => {
    for (const text of [
      "max_tokens must be positive",
      "The model `Meta-Llama-3.1-70B-Instruct-Turbo-Free` does not exist",
      "token limit exceeded: 4096 > 2048",
      "Rate limit reached for requests",
    ]) {
      expect(redactSecrets(text, [key])).toBe(text);
    }
  });
});
