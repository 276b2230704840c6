import { describe, expect, it } from "vitest";
import { adapterNameFor } from "./deployment-form";

describe("adapterNameFor (the adapter name 'Deploy as adapter' suggests)", () => {
  it("drops the ft-<base>- prefix of a fine-tuned adapter's file name", () => {
    expect(adapterNameFor("ft-kindling-starter-e2e-lora-0df814", "kindling-starter")).toBe("e2e-lora-0df814");
  });

  it("keeps a name without that prefix, made to fit the adapter name rules (32 characters, no edge dashes)", () => {
    expect(adapterNameFor("My_Adapter.v2", "kindling-starter")).toBe("my-adapter-v2");
    const long = adapterNameFor(`ft-other-${"x".repeat(40)}-end`, "kindling-starter");
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/);
  });
});
