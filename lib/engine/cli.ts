// The engine process: `npm run engine -- --model <file.gguf> --port <n>`. Prints one JSON line on stdout
// when ready ({"event":"ready","port":N,...}) or failed ({"event":"failed","error":...}).

import { parseEngineArgs } from "./args";
import { engineWatchesStdin } from "@/lib/env";
import { lowerPriority } from "./priority";
import { EngineRuntime, loadLlama } from "./runtime";
import { startEngineServer } from "./server";

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** The first line on stdin, parsed as the argument list (a standby engine's model). */
function argsFromStdin(): Promise<string[]> {
  return new Promise((resolve) => {
    let buf = "";
    const onData = (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      process.stdin.off("data", onData);
      resolve(JSON.parse(buf.slice(0, nl)) as string[]);
    };
    process.stdin.on("data", onData);
  });
}

async function main(): Promise<void> {
  // Started by a manager with --parent-watch semantics: when our stdin closes, the parent is gone.
  if (engineWatchesStdin()) {
    process.stdin.on("end", () => process.exit(0));
    process.stdin.on("error", () => process.exit(0));
    process.stdin.resume();
  }
  let argv = process.argv.slice(2);
  // A standby engine (manager option `standby`) loads llama.cpp's bindings first, then waits for its
  // arguments as one JSON line on stdin: the seconds of a start that do not depend on the model.
  if (argv[0] === "--standby") {
    const args = argsFromStdin();
    await loadLlama().catch(() => {}); // a failure here is reported by the load below
    emit({ event: "standby" });
    argv = await args;
  }
  let options;
  try {
    options = parseEngineArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  // Before the model loads: every thread there is now is lowered, and the ones the load starts
  // (llama.cpp's, Node's pool) inherit it from the thread that makes them.
  lowerPriority(options.nice);
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
