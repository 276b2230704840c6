import { afterEach, describe, expect, it } from "vitest";
import { clientIp } from "./current-user";

const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});

describe("clientIp", () => {
  afterEach(() => {
    delete process.env.KINDLING_TRUSTED_PROXIES;
  });

  it("uses the address the server appended, not one the client sent", () => {
    expect(clientIp(h("9.9.9.9, 127.0.0.1"))).toBe("127.0.0.1");
    expect(clientIp(h("::ffff:10.0.0.5"))).toBe("::ffff:10.0.0.5");
    expect(clientIp(h())).toBeNull();
  });

  it("trusts as many proxy hops as configured", () => {
    process.env.KINDLING_TRUSTED_PROXIES = "1";
    expect(clientIp(h("9.9.9.9, 203.0.113.7, 10.0.0.1"))).toBe("203.0.113.7");
    expect(clientIp(h("10.0.0.1"))).toBe("10.0.0.1");
  });
});
