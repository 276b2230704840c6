// The local driver: each replica is engine processes on this machine under the one engine supervisor,
// one for the base model and one per LoRA adapter (the engine applies adapters per process, to every
// request). The supervisor restarts a crashed engine in place with backoff; this reports it.
import { get } from "node:http";
import type { EngineInfo, EngineManager, EngineStatus } from "@/lib/engine/manager";
import { parseEngineMetrics, TTFT_BUCKETS_S, type EngineScrape } from "../metrics";
import type { DeploymentDriver, DriverReplicaState, DriverReplicaStatus, ReplicaSpec } from "./driver";

const PREFIX = "deployment/";
const engineId = (replicaId: string, variant: string) => `${PREFIX}${replicaId}${variant ? `:${variant}` : ""}`;

const RANK: Record<EngineStatus, number> = { failed: 4, stopped: 3, restarting: 2, starting: 1, ready: 0 };

function fetchText(url: string, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(res.statusCode === 200 ? body : null));
      res.on("error", () => resolve(null));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

export class LocalDriver implements DeploymentDriver {
  readonly name = "local";
  private readonly variants = new Map<string, string[]>();
  private readonly listeners = new Set<(s: DriverReplicaStatus) => void>();
  private readonly onEngine = (info: EngineInfo) => {
    if (!info.id.startsWith(PREFIX)) return;
    const replicaId = info.id.slice(PREFIX.length).split(":")[0];
    const status = this.status(replicaId);
    if (status) for (const l of this.listeners) l(status);
  };

  constructor(private readonly engines: EngineManager) {
    engines.on("status", this.onEngine);
  }

  dispose(): void {
    this.engines.off("status", this.onEngine);
  }

  async start(spec: ReplicaSpec): Promise<DriverReplicaStatus> {
    const variants = ["", ...spec.adapters.map((a) => a.name)];
    this.variants.set(spec.replicaId, variants);
    const common = { modelPath: spec.modelPath, threads: spec.threads, parallel: spec.parallel, ...(spec.contextSize ? { ctx: spec.contextSize } : {}) };
    const results = await Promise.allSettled(
      variants.map((v) => {
        const adapter = spec.adapters.find((a) => a.name === v);
        return this.engines.start({
          ...common,
          id: engineId(spec.replicaId, v),
          modelId: v ? `${spec.modelName}:${v}` : spec.modelName,
          loras: adapter ? [{ path: adapter.path, scale: adapter.scale }] : undefined,
        });
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) {
      await Promise.all(variants.map((v) => this.engines.stop(engineId(spec.replicaId, v))));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return this.status(spec.replicaId)!;
  }

  async stop(replicaId: string): Promise<void> {
    const variants = this.variants.get(replicaId) ?? [""];
    await Promise.all(variants.map((v) => this.engines.stop(engineId(replicaId, v))));
    this.variants.delete(replicaId);
  }

  status(replicaId: string): DriverReplicaStatus | undefined {
    const variants = this.variants.get(replicaId);
    if (!variants) return undefined;
    const infos = variants.map((v) => [v, this.engines.get(engineId(replicaId, v))] as const);
    const known = infos.filter((x): x is readonly [string, EngineInfo] => !!x[1]);
    if (known.length === 0) return undefined;
    // The replica is as well as its worst engine.
    const worst = known.reduce((a, b) => (RANK[b[1].status] > RANK[a[1].status] ? b : a))[1];
    const base = infos[0][1];
    return {
      replicaId,
      state: (known.length < variants.length ? "starting" : worst.status) as DriverReplicaState,
      pid: base?.pid,
      port: base?.port,
      restarts: known.reduce((n, [, i]) => n + i.restarts, 0),
      error: known.find(([, i]) => i.error)?.[1].error,
      endpoints: Object.fromEntries(infos.map(([v, i]) => [v, i?.status === "ready" ? i.baseUrl : undefined])),
    };
  }

  onStatus(listener: (status: DriverReplicaStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async scrape(replicaId: string): Promise<EngineScrape | null> {
    const variants = this.variants.get(replicaId);
    if (!variants) return null;
    const texts = await Promise.all(
      variants.map((v) => {
        const port = this.engines.get(engineId(replicaId, v))?.port;
        return port ? fetchText(`http://127.0.0.1:${port}/metrics`) : Promise.resolve(null);
      }),
    );
    const parsed = texts.filter((t): t is string => t !== null).map(parseEngineMetrics);
    if (parsed.length === 0) return null;
    return parsed.reduce((a, b) => ({
      requests: a.requests + b.requests,
      errors: a.errors + b.errors,
      ttftCumulative: TTFT_BUCKETS_S.map((_, i) => a.ttftCumulative[i] + b.ttftCumulative[i]),
      active: a.active + b.active,
      queued: a.queued + b.queued,
    }));
  }
}
