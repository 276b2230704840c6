// The one parser for an OpenAI chat-completions request body (POST /v1/chat/completions): the
// public shape (content parts, "developer" messages, `stop` as a string, max_completion_tokens)
// normalised onto the messages and settings every caller of lib/inference uses. A problem is an
// AppError("VALIDATION") whose `param` names the field the way OpenAI does (`messages[1].content`).
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { nulBytePath } from "@/lib/nul-bytes";
import { chatParamsSchema, checkChatParams, toolCallSchema, type ChatMessage, type ChatParams } from "./chat-schema";

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  params: ChatParams;
  stream: boolean;
  /** stream_options.include_usage: a last chunk with usage and no choices. */
  includeUsage: boolean;
}

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const content = z.union([z.string(), z.array(textPart).min(1)]).transform((c) => (typeof c === "string" ? c : c.map((p) => p.text).join("")));

// Public message shapes, normalised: text parts joined, "developer" is a system message, `name` dropped.
const publicMessage = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content }),
  z.object({ role: z.literal("developer"), content }).transform((m) => ({ role: "system" as const, content: m.content })),
  z.object({ role: z.literal("user"), content }),
  z.object({
    role: z.literal("assistant"),
    content: content.nullish().transform((c) => c ?? null),
    tool_calls: z.array(toolCallSchema).optional(),
  }),
  z.object({ role: z.literal("tool"), content, tool_call_id: z.string().min(1) }),
]);

const body = z.object({
  model: z.string().min(1, "model is required."),
  messages: z.array(publicMessage).min(1, "messages must hold at least one message.").max(2000),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  n: z.literal(1, "Only n: 1 is supported.").nullish(),
  max_tokens: z.number().nullish(),
  max_completion_tokens: z.number().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  logprobs: z.literal(false, "logprobs are not supported.").nullish(),
  // The rest are checked by chatParamsSchema below; null means "not set", as in OpenAI's clients.
  temperature: z.unknown().optional(),
  top_p: z.unknown().optional(),
  seed: z.unknown().optional(),
  presence_penalty: z.unknown().optional(),
  frequency_penalty: z.unknown().optional(),
  response_format: z.unknown().optional(),
  tools: z.unknown().optional(),
  tool_choice: z.unknown().optional(),
});

/** `["messages", 1, "content"]` -> `messages[1].content` */
export function openAiParam(path: readonly PropertyKey[]): string | null {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || null;
}

function invalid(param: string | null, message: string): AppError {
  return new AppError("VALIDATION", param ? `${param}: ${message}` : message, { fieldErrors: param ? { [param]: [message] } : undefined });
}

/** Parses a request body or throws VALIDATION naming the first bad parameter. */
export async function parseChatCompletionRequest(raw: unknown): Promise<ChatCompletionRequest> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw invalid(null, "The request body must be a JSON object.");
  const parsed = body.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(openAiParam(issue.path), issue.message);
  }
  const b = parsed.data;
  // PostgreSQL text refuses NUL (the model name is looked up, usage rows are stored): a 400, not a 500.
  const nul = nulBytePath(b);
  if (nul) throw invalid(openAiParam(nul.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p))), "must not contain the NUL character (\\u0000).");
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
  const candidate = defined({
    temperature: b.temperature,
    top_p: b.top_p,
    max_tokens: b.max_completion_tokens ?? b.max_tokens,
    stop: typeof b.stop === "string" ? [b.stop] : b.stop,
    seed: b.seed,
    presence_penalty: b.presence_penalty,
    frequency_penalty: b.frequency_penalty,
    response_format: b.response_format,
    tools: b.tools,
    tool_choice: b.tool_choice,
  });
  const params = chatParamsSchema.safeParse(candidate);
  if (!params.success) {
    const issue = params.error.issues[0];
    const path = issue.path[0] === "max_tokens" && b.max_completion_tokens != null ? ["max_completion_tokens", ...issue.path.slice(1)] : issue.path;
    throw invalid(openAiParam(path), issue.message);
  }
  const deeper = await checkChatParams(params.data);
  const first = Object.keys(deeper)[0];
  if (first) throw invalid(first.replace(/^params\./, "").replace(/\.(\d+)(?=\.|$)/g, "[$1]"), deeper[first][0]);
  return {
    model: b.model,
    messages: b.messages as ChatMessage[],
    params: params.data,
    stream: b.stream === true,
    includeUsage: b.stream_options?.include_usage === true,
  };
}
