// Next.js calls register() once when the server starts, before it serves any request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startConsole } = await import("./lib/bootstrap/start-console");
    await startConsole();
  }
}
