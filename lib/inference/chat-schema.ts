// OpenAI's chat-completions messages and settings, checked here so bad input gets a message that
// names the field. The playground's request (lib/playground/chat-request.ts) and the gateway's
// (./openai-request.ts) are both built from these schemas.
import { z } from "zod";
import { getSchemaChecker, schemaSizeProblem } from "@/lib/json-schema/checker";

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

/** Problems zod cannot see: a JSON schema too large or that does not compile, a tool_choice naming no tool. */
export async function checkChatParams(params: ChatParams): Promise<Record<string, string[]>> {
  const errors: Record<string, string[]> = {};
  const schemas: Array<[field: string, schema: unknown]> = [];
  const rf = params.response_format;
  if (rf?.type === "json_schema") schemas.push(["params.response_format.json_schema.schema", rf.json_schema.schema]);
  params.tools?.forEach((tool, i) => {
    if (tool.function.parameters) schemas.push([`params.tools.${i}.function.parameters`, tool.function.parameters]);
  });
  for (const [field, schema] of schemas) {
    const problem = schemaSizeProblem(schema);
    if (problem) errors[field] = [problem];
  }
  // Only schemas of a sane size are compiled, one at a time, off the event loop.
  if (Object.keys(errors).length === 0) {
    for (const [field, schema] of schemas) {
      const problem = await getSchemaChecker().compileError(schema);
      if (problem) errors[field] = [`Not a valid JSON schema: ${problem}`];
    }
  }
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
export async function checkStructuredAnswer(params: ChatParams, text: string): Promise<{ valid: boolean; error?: string } | null> {
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
  try {
    const result = await getSchemaChecker().validate(rf.json_schema.schema, value);
    if (result.valid) return { valid: true };
    if (result.path === undefined) return { valid: false, error: result.error };
    return { valid: false, error: `Does not match the schema: ${result.path || "(root)"} ${result.error ?? ""}`.trim() };
  } catch (error) {
    return { valid: false, error: error instanceof Error ? error.message : "The answer could not be checked against the schema." };
  }
}
