import { describe, expect, it } from "vitest";
import { describeAvailability } from "./availability";

describe("describeAvailability", () => {
  it("says nothing more for a deployment that answers now", () => {
    expect(describeAvailability("bot", "ready", null)).toEqual({ status: "ready", note: null });
    expect(describeAvailability("bot", "degraded", null)).toEqual({ status: "degraded", note: null });
  });

  it("warns of a cold start when scaled to zero, and of the wait while starting", () => {
    expect(describeAvailability("bot", "idle", null)).toEqual({
      status: "scaled to zero",
      note: "bot is scaled to zero: the first message starts a replica (a cold start) and waits for it.",
    });
    expect(describeAvailability("bot", "starting", null).note).toMatch(/waits for one to be ready/);
  });

  it("names the failover model of a paused or failing deployment, or says it will not answer", () => {
    expect(describeAvailability("bot", "paused", "tiny-a")).toEqual({ status: "paused", note: "bot is paused: answers come from its failover model, tiny-a." });
    expect(describeAvailability("bot", "paused", null).note).toBe("bot is paused: it will not answer until an admin acts on it.");
    expect(describeAvailability("bot", "failed", null).status).toBe("failed");
  });
});
