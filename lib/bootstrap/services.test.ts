import { describe, expect, it, vi } from "vitest";
import { startServices, type BackgroundService } from "./services";

function recorder() {
  const log: string[] = [];
  const service = (name: string, opts: { failStart?: boolean; failStop?: boolean } = {}): BackgroundService => ({
    name,
    start: async () => {
      if (opts.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    stop: async () => {
      log.push(`stop ${name}`);
      if (opts.failStop) throw new Error(`${name} cannot stop`);
    },
  });
  return { log, service };
}

describe("background services", () => {
  it("start in order and stop in reverse order, once", async () => {
    const { log, service } = recorder();
    const stop = await startServices([service("usage"), service("reconciler"), service("jobs")]);
    await Promise.all([stop(), stop()]);
    expect(log).toEqual(["start usage", "start reconciler", "start jobs", "stop jobs", "stop reconciler", "stop usage"]);
  });

  it("a service that fails to start stops those already started and names itself", async () => {
    const { log, service } = recorder();
    await expect(startServices([service("usage"), service("reconciler", { failStart: true }), service("jobs")])).rejects.toThrow(
      /"reconciler" failed to start: reconciler cannot start/,
    );
    expect(log).toEqual(["start usage", "stop usage"]);
  });

  it("a service that fails to stop does not keep the others running", async () => {
    const { log, service } = recorder();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const stop = await startServices([service("usage"), service("reconciler", { failStop: true })]);
    await stop();
    expect(log).toEqual(["start usage", "start reconciler", "stop reconciler", "stop usage"]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('"reconciler" failed'), expect.any(Error));
    error.mockRestore();
  });
});
