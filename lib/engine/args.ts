// Command-line options of the engine process (`npm run engine -- --model <file.gguf> --port <n> ...`).

export interface EngineOptions {
  modelPath: string;
  /** Model id served in /v1/models and expected in requests; default the file name without .gguf. */
  modelId?: string;
  host: string;
  /** 0 picks a free port (reported in the ready line). */
  port: number;
  threads: number;
  parallel: number;
  /** Requests allowed to wait for a sequence before 503. */
  queue: number;
  /** Context size per sequence; default min(model's trained context, 4096). */
  ctx?: number;
  loras: { path: string; scale: number }[];
  /** Lower CPU priority (0-19) the engine gives itself, so the console goes first (see priority.ts). */
  nice: number;
}

export const ENGINE_USAGE =
  "usage: engine --model <file.gguf> --port <n> [--host 127.0.0.1] [--threads N] [--parallel N] [--queue N] [--ctx N] [--id NAME] [--nice 0-19] [--lora <file>[:scale] ...]";

function int(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}, got ${String(value)}`);
  return n;
}

export function parseEngineArgs(argv: string[]): EngineOptions {
  const opts: Partial<EngineOptions> & { loras: EngineOptions["loras"] } = { loras: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = () => {
      i++;
      if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case "--model": opts.modelPath = take(); break;
      case "--id": opts.modelId = take(); break;
      case "--host": opts.host = take(); break;
      case "--port": opts.port = int(flag, take(), 0); break;
      case "--threads": opts.threads = int(flag, take(), 1); break;
      case "--parallel": opts.parallel = int(flag, take(), 1); break;
      case "--queue": opts.queue = int(flag, take(), 0); break;
      case "--ctx": opts.ctx = int(flag, take(), 16); break;
      case "--nice": opts.nice = int(flag, take(), 0); if (opts.nice > 19) throw new Error(`--nice needs an integer from 0 to 19, got ${opts.nice}`); break;
      case "--lora": {
        const spec = take();
        const m = /^(.*?)(?::(-?\d+(?:\.\d+)?))?$/.exec(spec)!;
        opts.loras.push({ path: m[1], scale: m[2] === undefined ? 1 : Number(m[2]) });
        break;
      }
      default: throw new Error(`unknown option ${flag}\n${ENGINE_USAGE}`);
    }
  }
  if (!opts.modelPath) throw new Error(`--model is required\n${ENGINE_USAGE}`);
  if (opts.port === undefined) throw new Error(`--port is required (0 picks a free one)\n${ENGINE_USAGE}`);
  return {
    modelPath: opts.modelPath,
    modelId: opts.modelId,
    host: opts.host ?? "127.0.0.1",
    port: opts.port,
    threads: opts.threads ?? 1,
    parallel: opts.parallel ?? 1,
    queue: opts.queue ?? 64,
    ctx: opts.ctx,
    loras: opts.loras,
    nice: opts.nice ?? 0,
  };
}
