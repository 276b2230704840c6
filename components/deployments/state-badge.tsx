import type { DeploymentState } from "@/lib/deployments/query-options";
import { cn } from "@/components/ui/cn";

const STYLE: Record<DeploymentState, { label: string; className: string }> = {
  ready: { label: "Ready", className: "bg-green-100 text-green-800 dark:bg-green-900/40 dark:text-green-200" },
  starting: { label: "Starting", className: "bg-blue-100 text-blue-800 dark:bg-blue-900/50 dark:text-blue-200" },
  degraded: { label: "Degraded", className: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" },
  failed: { label: "Failed", className: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200" },
  paused: { label: "Paused", className: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" },
  idle: { label: "Scaled to zero", className: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" },
};

export function StateBadge({ state }: { state: DeploymentState | string }) {
  const s = STYLE[state as DeploymentState] ?? { label: state, className: STYLE.paused.className };
  return <span className={cn("inline-flex items-center whitespace-nowrap rounded px-2 py-0.5 text-xs font-medium", s.className)}>{s.label}</span>;
}
