// A playground panel's settings as the form holds them (text for lists and JSON), and their
// conversion to the request's params with errors that name the field and the line.
import type { ChatParams, ToolDefinition } from "./chat-request";

export interface PanelSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
  /** One stop sequence per line. */
  stop: string;
  /** Empty for none. */
  seed: string;
  presencePenalty: number;
  frequencyPenalty: number;
  responseFormat: "text" | "json_object" | "json_schema";
  schemaText: string;
  toolsText: string;
  toolChoice: "auto" | "none" | "required";
}

export const DEFAULT_SETTINGS: PanelSettings = {
  temperature: 0.7,
  topP: 1,
  maxTokens: 512,
  stop: "",
  seed: "",
  presencePenalty: 0,
  frequencyPenalty: 0,
  responseFormat: "text",
  schemaText: JSON.stringify(
    { type: "object", properties: { city: { type: "string" }, date: { type: "string" } }, required: ["city", "date"], additionalProperties: false },
    null,
    2,
  ),
  toolsText: "",
  toolChoice: "auto",
};

export const EXAMPLE_TOOLS = JSON.stringify(
  [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Current weather for a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    },
  ],
  null,
  2,
);

/** JSON.parse with an error that says where: "line 3, column 5: Unexpected token". */
export function parseJsonWithLocation(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    if (lineCol) return { ok: false, error: `line ${lineCol[1]}, column ${lineCol[2]}: not valid JSON` };
    const pos = /position (\d+)/.exec(message);
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      return { ok: false, error: `line ${line}, column ${column}: not valid JSON` };
    }
    return { ok: false, error: "not valid JSON (it may be cut short)" };
  }
}

export function settingsToParams(s: PanelSettings): { params: ChatParams; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const params: ChatParams = {
    temperature: s.temperature,
    top_p: s.topP,
    max_tokens: s.maxTokens,
  };
  const stops = s.stop.split("\n").map((x) => x.replace(/\\n/g, "\n")).filter((x) => x.length > 0);
  if (stops.length > 4) errors.stop = "At most 4 stop sequences.";
  else if (stops.length) params.stop = stops;
  if (s.seed.trim() !== "") {
    const seed = Number(s.seed);
    if (!Number.isInteger(seed)) errors.seed = "The seed is a whole number.";
    else params.seed = seed;
  }
  if (s.presencePenalty !== 0) params.presence_penalty = s.presencePenalty;
  if (s.frequencyPenalty !== 0) params.frequency_penalty = s.frequencyPenalty;
  if (s.responseFormat === "json_object") params.response_format = { type: "json_object" };
  if (s.responseFormat === "json_schema") {
    const parsed = parseJsonWithLocation(s.schemaText);
    if (!parsed.ok) errors.schema = `JSON schema, ${parsed.error}`;
    else if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) errors.schema = "The JSON schema must be an object.";
    else params.response_format = { type: "json_schema", json_schema: { name: "answer", schema: parsed.value as Record<string, unknown>, strict: true } };
  }
  if (s.toolsText.trim() !== "") {
    const parsed = parseJsonWithLocation(s.toolsText);
    if (!parsed.ok) errors.tools = `Tools, ${parsed.error}`;
    else if (!Array.isArray(parsed.value)) errors.tools = "Tools must be a JSON array of tool definitions.";
    else {
      params.tools = parsed.value as ToolDefinition[];
      params.tool_choice = s.toolChoice;
    }
  }
  return { params, errors };
}

export function paramsToSettings(p: ChatParams): PanelSettings {
  const rf = p.response_format;
  return {
    temperature: p.temperature ?? DEFAULT_SETTINGS.temperature,
    topP: p.top_p ?? 1,
    maxTokens: p.max_tokens ?? DEFAULT_SETTINGS.maxTokens,
    stop: (p.stop ?? []).map((x) => x.replace(/\n/g, "\\n")).join("\n"),
    seed: p.seed === undefined ? "" : String(p.seed),
    presencePenalty: p.presence_penalty ?? 0,
    frequencyPenalty: p.frequency_penalty ?? 0,
    responseFormat: rf?.type ?? "text",
    schemaText: rf?.type === "json_schema" ? JSON.stringify(rf.json_schema.schema, null, 2) : DEFAULT_SETTINGS.schemaText,
    toolsText: p.tools?.length ? JSON.stringify(p.tools, null, 2) : "",
    toolChoice: typeof p.tool_choice === "string" ? p.tool_choice : "auto",
  };
}
