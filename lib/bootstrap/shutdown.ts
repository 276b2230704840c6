// The one ordered shutdown of the console process, on SIGTERM or SIGINT: stop taking requests
// (the HTTP server of lib/start/server.ts), then stop the console (start-console.ts: background
// services in reverse order, the usage flush last among them, engines, the database, the data-
// directory lock), then exit 0. Nothing else in the process may act on these signals.
// Held by processSingleton: the HTTP server and Next's bundles are separate module graphs.
import { processSingleton } from "@/lib/process-singleton";

type Step = () => Promise<void>;

interface ShutdownState {
  /** Stops the HTTP server taking requests and lets the ones in flight finish. */
  stopServing: Step | null;
  /** Stops services, engines, the database and the lock. */
  stopConsole: Step | null;
  running: Promise<void> | null;
  signalsHandled: boolean;
}

const state = () =>
  processSingleton<ShutdownState>("kindling.shutdown", () => ({ stopServing: null, stopConsole: null, running: null, signalsHandled: false }));

/** lib/start/server.ts registers how to stop taking requests. */
export function onStopServing(step: Step): void {
  state().stopServing = step;
}

/** start-console.ts registers how to stop everything it started. */
export function onStopConsole(step: Step): void {
  state().stopConsole = step;
}

/** Runs the shutdown once (later calls share it). A step that fails is logged; the next still runs. */
export function shutdown(): Promise<void> {
  const s = state();
  s.running ??= (async () => {
    for (const [what, step] of [
      ["stopping the HTTP server", s.stopServing],
      ["stopping the console", s.stopConsole],
    ] as const) {
      if (!step) continue;
      try {
        await step();
      } catch (error) {
        console.error(`[kindling] ${what} failed`, error);
      }
    }
  })();
  return s.running;
}

/**
 * Makes SIGTERM and SIGINT run the shutdown and exit 0 (idempotent). A repeated signal while it
 * runs is ignored (Ctrl-C reaches both tsx and the console; every step has its own time limit).
 */
export function handleShutdownSignals(): void {
  const s = state();
  if (s.signalsHandled) return;
  s.signalsHandled = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (s.running) return;
      console.log(`[kindling] ${signal}: shutting down`);
      void shutdown().finally(() => process.exit(0));
    });
  }
}

/**
 * After a start that failed: stops what the console opened (not the HTTP server, whose pending
 * requests wait for that very start) and exits 1.
 */
export async function exitAfterFailedStart(): Promise<never> {
  const s = state();
  s.running ??= (async () => {
    try {
      await s.stopConsole?.();
    } catch (error) {
      console.error("[kindling] stopping the console failed", error);
    }
  })();
  await s.running;
  process.exit(1);
}
