import { chatRequestSchema, checkChatParams } from "@/lib/playground/chat-request";
import { startPlaygroundChat } from "@/lib/playground/run-chat";
import { defineRoute, validationError } from "@/lib/define-action";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Streams one chat completion to the browser as SSE, nothing buffered on the way. Members and admins. */
export const POST = defineRoute({ role: "member" }, async (request, ctx) => {
  const body = await request.json().catch(() => {
    throw new AppError("VALIDATION", "The request body is not JSON.");
  });
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const fieldErrors = checkChatParams(parsed.data.params);
  const fields = Object.keys(fieldErrors);
  if (fields.length > 0) throw new AppError("VALIDATION", `${fields[0]}: ${fieldErrors[fields[0]][0]}`, { fieldErrors });

  const stream = await startPlaygroundChat(ctx.db, ctx.user, parsed.data, request.signal);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
});
