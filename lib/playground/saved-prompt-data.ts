// The shape of a saved playground state, shared by the browser and the server.
import { z } from "zod";
import { chatMessageSchema, chatParamsSchema } from "./chat-request";

export const savedPanelSchema = z.object({
  modelId: z.string(),
  params: chatParamsSchema,
  messages: z.array(chatMessageSchema).max(500),
});

export const savedPromptDataSchema = z.object({
  version: z.literal(1),
  systemPrompt: z.string().max(100_000),
  syncSettings: z.boolean(),
  panels: z.array(savedPanelSchema).min(1).max(4),
});
export type SavedPromptData = z.infer<typeof savedPromptDataSchema>;
