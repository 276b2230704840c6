// What the playground's browser code sends to /api/playground/chat: a model row id, the messages
// and the settings, in the shapes lib/inference/chat-schema.ts defines for every caller.
import { z } from "zod";
import { chatMessageSchema, chatParamsSchema } from "@/lib/inference/chat-schema";

export {
  chatMessageSchema,
  chatParamsSchema,
  checkChatParams,
  checkStructuredAnswer,
  responseFormatSchema,
  toolSchema,
  type ChatMessage,
  type ChatParams,
  type ToolDefinition,
} from "@/lib/inference/chat-schema";

export const chatRequestSchema = z.object({
  modelId: z.string().min(1, "Choose a model."),
  messages: z.array(chatMessageSchema).min(1, "Write a message first.").max(500),
  params: chatParamsSchema.default({}),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;
