// Background services: work that runs beside the HTTP server for the life of the process (the usage
// flusher, the deployment reconciler, the job runner...). Each one resumes from the database in
// start(), so a kill -9 and a restart lose nothing that matters; stop() finishes or hands back its
// work. lib/bootstrap/start-console.ts holds the ordered list: started in order after migrations,
// stopped in reverse order at shutdown.

export interface BackgroundService {
  /** For logs: "usage flusher", "deployment reconciler"... */
  name: string;
  /** Called once after migrations and start-up work; resumes from what the database says. */
  start(): Promise<void>;
  /** Called once at shutdown, after the HTTP server stopped taking requests. */
  stop(): Promise<void>;
}

/**
 * Starts `services` one after another. Resolves to the function that stops the started ones in
 * reverse order. When one fails to start, those already started are stopped and the error is thrown
 * with the service's name.
 */
export async function startServices(services: readonly BackgroundService[]): Promise<() => Promise<void>> {
  const started: BackgroundService[] = [];
  const stopStarted = () => stopServices([...started].reverse());
  for (const service of services) {
    try {
      await service.start();
    } catch (error) {
      await stopStarted();
      throw new Error(`The background service "${service.name}" failed to start: ${(error as Error).message}`, { cause: error });
    }
    started.push(service);
  }
  let stopping: Promise<void> | null = null;
  return () => (stopping ??= stopStarted());
}

/** Stops each service in the order given; one that fails is logged and the rest still stop. */
async function stopServices(services: readonly BackgroundService[]): Promise<void> {
  for (const service of services) {
    try {
      await service.stop();
    } catch (error) {
      console.error(`[kindling] stopping the background service "${service.name}" failed`, error);
    }
  }
}
