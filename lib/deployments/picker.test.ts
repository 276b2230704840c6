import { describe, expect, it } from "vitest";
import { BeforeFirstTokenError, NoReplicaError, pickReplica, routeRequest, type RoutableReplica } from "./picker";

const r = (id: string, outstanding: number, ready = true): RoutableReplica => ({ id, outstanding, ready });

describe("pickReplica", () => {
  it("takes the ready replica with the fewest outstanding requests", () => {
    expect(pickReplica([r("a", 3), r("b", 1), r("c", 0, false)])?.id).toBe("b");
  });
  it("spreads ties by turn and skips excluded ones", () => {
    const set = [r("a", 0), r("b", 0)];
    expect([0, 1, 2].map((t) => pickReplica(set, new Set(), t)?.id)).toEqual(["a", "b", "a"]);
    expect(pickReplica(set, new Set(["a"]))?.id).toBe("b");
    expect(pickReplica([r("a", 0, false)])).toBeNull();
  });
});

describe("routeRequest", () => {
  const base = { now: () => Date.now(), waitForReady: async () => false, failover: null };

  it("retries once on another replica when the first fails before the first token", async () => {
    const sent: string[] = [];
    const answer = await routeRequest(
      {
        ...base,
        replicas: () => [r("a", 0), r("b", 1)],
        send: async (rep) => {
          sent.push(rep.id);
          if (rep.id === "a") throw new BeforeFirstTokenError("connection refused");
          return "ok";
        },
      },
      { coldStartWaitMs: 1000 },
    );
    expect(sent).toEqual(["a", "b"]);
    expect(answer).toMatchObject({ via: "replica", replicaId: "b", retried: true, value: "ok" });
  });

  it("does not retry an error after streaming began", async () => {
    let calls = 0;
    await expect(
      routeRequest({ ...base, replicas: () => [r("a", 0), r("b", 0)], send: async () => { calls++; throw new Error("mid-stream"); } }, { coldStartWaitMs: 0 }),
    ).rejects.toThrow("mid-stream");
    expect(calls).toBe(1);
  });

  it("waits for a cold start, then answers from the new replica", async () => {
    let ready = false;
    const answer = await routeRequest(
      {
        ...base,
        replicas: () => [r("a", 0, ready)],
        waitForReady: async () => {
          ready = true;
          return true;
        },
        send: async (rep) => rep.id,
      },
      { coldStartWaitMs: 5000 },
    );
    expect(answer).toMatchObject({ via: "replica", replicaId: "a", value: "a" });
    expect(answer.via === "replica" && typeof answer.coldStartMs).toBe("number");
  });

  it("uses the failover model when no replica becomes ready, and fails plainly without one", async () => {
    const fx = { ...base, replicas: () => [], send: async () => "replica" };
    await expect(routeRequest({ ...fx, failover: async (why: string) => `failover: ${why}` }, { coldStartWaitMs: 2000 })).resolves.toMatchObject({
      via: "failover",
      value: "failover: no replica was ready within 2 s",
    });
    await expect(routeRequest(fx, { coldStartWaitMs: 2000 })).rejects.toBeInstanceOf(NoReplicaError);
  });

  it("goes to failover when both replicas fail before the first token", async () => {
    const answer = await routeRequest(
      { ...base, replicas: () => [r("a", 0), r("b", 0)], send: async () => { throw new BeforeFirstTokenError("refused"); }, failover: async () => "fo" },
      { coldStartWaitMs: 0 },
    );
    expect(answer).toMatchObject({ via: "failover", reason: "replicas a and b both failed before the first token" });
  });
});
