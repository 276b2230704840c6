// The engine process: `npm run engine -- --model <file.gguf> --port <n>`. Prints one JSON line on stdout
// when ready ({"event":"ready","port":N,...}) or failed ({"event":"failed","error":...}).

import { parseEngineArgs } from "./args";
import { engineWatchesStdin } from "@/lib/env";
import { EngineRuntime } from "./runtime";
import { startEngineServer } from "./server";

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseEngineArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  // Started by a manager with --parent-watch semantics: when our stdin closes, the parent is gone.
  if (engineWatchesStdin()) {
    process.stdin.on("end", () => process.exit(0));
    process.stdin.on("error", () => process.exit(0));
    process.stdin.resume();
  }
  let runtime: EngineRuntime;
  try {
    runtime = await EngineRuntime.load(options);
  } catch (error) {
    emit({ event: "failed", error: (error as Error).message });
    process.exit(1);
  }
  const server = await startEngineServer(runtime, { host: options.host, port: options.port });
  emit({ event: "ready", port: server.port, host: options.host, model: runtime.modelId, contextSize: runtime.contextSize });
  const shutdown = async () => {
    await server.close();
    await runtime.dispose().catch(() => {});
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
}

void main();
