// OpenAI's chat-completions messages and settings, checked here so bad input gets a message that
// names the field. The playground's request (lib/playground/chat-request.ts) and the gateway's
// (./openai-request.ts) are both built from these schemas.
import Ajv from "ajv";
import { z } from "zod";

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const chatMessageSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({ role: z.literal("assistant"), content: z.string().nullable(), tool_calls: z.array(toolCallSchema).optional() }),
  z.object({ role: z.literal("tool"), content: z.string(), tool_call_id: z.string().min(1) }),
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

const jsonObject = z.record(z.string(), z.unknown());

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "Use letters, digits, _ or -, at most 64 characters."),
      schema: jsonObject,
      strict: z.boolean().optional(),
    }),
  }),
]);

export const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "Tool names use letters, digits, _ or -, at most 64 characters."),
    description: z.string().max(1024).optional(),
    parameters: jsonObject.optional(),
  }),
});
export type ToolDefinition = z.infer<typeof toolSchema>;

export const chatParamsSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().min(1).max(131072).optional(),
  stop: z.array(z.string().min(1)).max(4, "At most 4 stop sequences.").optional(),
  seed: z.number().int().optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  response_format: responseFormatSchema.optional(),
  tools: z.array(toolSchema).max(32).optional(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }),
    ])
    .optional(),
});
export type ChatParams = z.infer<typeof chatParamsSchema>;

const ajv = new Ajv({ allErrors: false, strict: false });

/** Problems zod cannot see: a JSON schema that does not compile, a tool_choice naming no tool. */
export function checkChatParams(params: ChatParams): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const rf = params.response_format;
  if (rf?.type === "json_schema") {
    try {
      ajv.compile(rf.json_schema.schema);
    } catch (error) {
      errors["params.response_format.json_schema.schema"] = [`Not a valid JSON schema: ${(error as Error).message}`];
    }
  }
  params.tools?.forEach((tool, i) => {
    if (!tool.function.parameters) return;
    try {
      ajv.compile(tool.function.parameters);
    } catch (error) {
      errors[`params.tools.${i}.function.parameters`] = [`Not a valid JSON schema: ${(error as Error).message}`];
    }
  });
  const choice = params.tool_choice;
  if (choice && typeof choice === "object" && !params.tools?.some((t) => t.function.name === choice.function.name)) {
    errors["params.tool_choice"] = [`No tool named ${choice.function.name} is defined.`];
  }
  if (choice === "required" && !params.tools?.length) {
    errors["params.tool_choice"] = ["tool_choice is required but no tools are defined."];
  }
  return errors;
}

/** Whether `text` parses as JSON and, for json_schema, matches the schema; null when no format was asked. */
export function checkStructuredAnswer(params: ChatParams, text: string): { valid: boolean; error?: string } | null {
  const rf = params.response_format;
  if (!rf || rf.type === "text") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { valid: false, error: "The answer is not valid JSON." };
  }
  if (rf.type === "json_object") {
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? { valid: true }
      : { valid: false, error: "The answer is JSON but not an object." };
  }
  const validate = ajv.compile(rf.json_schema.schema);
  if (validate(value)) return { valid: true };
  const first = validate.errors?.[0];
  return { valid: false, error: `Does not match the schema: ${first?.instancePath || "(root)"} ${first?.message ?? ""}`.trim() };
}
