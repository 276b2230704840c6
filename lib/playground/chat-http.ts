// POST /api/playground/chat, answered by the console's own HTTP server (see lib/http/direct-routes.ts):
// the user and role, the request checked, then the provider's stream written to the socket event by
// event as SSE. Nothing buffers on the way: no compression, X-Accel-Buffering: no for proxies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "@/db/client";
import { authenticateWithRole } from "@/lib/auth/principal";
import { AppError, validationError } from "@/lib/errors";
import { readJsonBody, requestHeaders, sendError } from "@/lib/http/direct-routes";
import { assertNoNulBytes } from "@/lib/nul-bytes";
import { chatRequestSchema, checkChatParams } from "./chat-request";
import { preparePlaygroundChat } from "./run-chat";

export const PLAYGROUND_CHAT_PATH = "/api/playground/chat";
const MAX_BODY_BYTES = 4_000_000;

export async function handlePlaygroundChat(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const { user } = await authenticateWithRole(requestHeaders(req), "member", { write: true });
    const parsed = chatRequestSchema.safeParse(await readJsonBody(req, MAX_BODY_BYTES));
    if (!parsed.success) throw validationError(parsed.error);
    assertNoNulBytes(parsed.data);
    const fieldErrors = await checkChatParams(parsed.data.params);
    const fields = Object.keys(fieldErrors);
    if (fields.length > 0) throw new AppError("VALIDATION", `${fields[0]}: ${fieldErrors[fields[0]][0]}`, { fieldErrors });
    const call = await preparePlaygroundChat(await getDb(), user, parsed.data);

    // A browser that stops reading (the Stop button, a closed tab) aborts the provider call at once.
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    });
    await call.run(abort.signal, (event) => {
      if (!res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    res.end();
  } catch (error) {
    if (!res.headersSent) await sendError(res, error);
    else res.end();
  }
}
