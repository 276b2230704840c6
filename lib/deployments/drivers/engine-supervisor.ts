// The engine supervisor the local driver runs replicas under. lib/engine/supervisor.ts's
// getEngineSupervisor() replaces this once it lands (one line: return getEngineSupervisor()).
import path from "node:path";
import { EngineManager } from "@/lib/engine/manager";
import { processSingleton } from "@/lib/process-singleton";

export function deploymentEngineSupervisor(): EngineManager {
  return processSingleton(
    "kindling.deployments.engines",
    () =>
      new EngineManager({
        // Inside the Next bundle import.meta.url does not point at the source, so name the CLI by path.
        cliPath: path.join(/*turbopackIgnore: true*/ process.cwd(), "lib/engine/cli.ts"),
      }),
  );
}
