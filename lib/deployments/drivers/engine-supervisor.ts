// The engine supervisor the local driver runs replicas under: the one per process (lib/engine).
import type { EngineManager } from "@/lib/engine/manager";
import { getEngineSupervisor } from "@/lib/engine/supervisor";

export function deploymentEngineSupervisor(): EngineManager {
  return getEngineSupervisor();
}
