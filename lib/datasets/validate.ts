// Checks fine-tuning examples one at a time (so a file of any size streams through), normalises them
// to the trainer's chat form, and gathers the statistics shown beside a dataset. Pure: no I/O.
import { tokenizeConversation, type ChatMessage, type Role } from "@/lib/training/data";

export const DATASET_FORMATS = ["jsonl", "csv"] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface CsvMapping {
  /** Column holding the user's turn. */
  prompt: string;
  /** Column holding the answer to learn. */
  completion: string;
  /** Optional column with a system prompt per row. */
  system?: string;
}

export interface LineIssue {
  line: number;
  reason: string;
}

export interface CheckedExample {
  messages: ChatMessage[];
  /** Whether the record declared `tools` (kept for the statistics; the local trainer learns text only). */
  hasTools: boolean;
}

const ROLES = new Set<string>(["system", "user", "assistant", "tool"]);

/**
 * One JSONL record in OpenAI's chat format (`{"messages": [...], "tools"?: [...]}`) or as
 * `{"prompt", "completion"}`: the normalised messages, or a sentence saying what is wrong.
 */
export function checkRecord(value: unknown): CheckedExample | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const rec = value as Record<string, unknown>;
  if ("messages" in rec) {
    if (!Array.isArray(rec.messages) || rec.messages.length === 0) return `"messages" must be a non-empty array`;
    if ("tools" in rec && !Array.isArray(rec.tools)) return `"tools" must be an array`;
    const messages: ChatMessage[] = [];
    for (const [i, m] of rec.messages.entries()) {
      if (typeof m !== "object" || m === null || Array.isArray(m)) return `messages[${i}] is not an object`;
      const { role, content, tool_calls: toolCalls } = m as Record<string, unknown>;
      if (typeof role !== "string") return `messages[${i}] has no role`;
      if (!ROLES.has(role)) return `messages[${i}] has the unknown role "${role}" (use system, user, assistant or tool)`;
      if (toolCalls !== undefined && toolCalls !== null) {
        return `messages[${i}] has tool_calls, which the local trainer cannot learn yet (write the call as the assistant's content)`;
      }
      if (typeof content !== "string") return `messages[${i}].content must be a string`;
      if (content.trim() === "") return `messages[${i}] (${role}) has empty content`;
      messages.push({ role: role as Role, content });
    }
    if (!messages.some((m) => m.role === "assistant")) return "no assistant turn: nothing to learn from";
    return { messages, hasTools: Array.isArray(rec.tools) && rec.tools.length > 0 };
  }
  if ("prompt" in rec || "completion" in rec) {
    if (typeof rec.prompt !== "string") return `"prompt" must be a string`;
    if (typeof rec.completion !== "string") return `"completion" must be a string`;
    if (rec.prompt.trim() === "") return `"prompt" is empty`;
    if (rec.completion.trim() === "") return `"completion" is empty`;
    return { messages: [{ role: "user", content: rec.prompt }, { role: "assistant", content: rec.completion }], hasTools: false };
  }
  return `expected {"messages": [...]} or {"prompt": ..., "completion": ...}`;
}

/** One JSONL line: parsed and checked. Blank lines are skipped (null). */
export function checkJsonlLine(raw: string): CheckedExample | string | null {
  const text = raw.trim();
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  return checkRecord(value);
}

/** Column names missing from a CSV header, as an error sentence, or null. */
export function checkCsvHeader(header: string[], mapping: CsvMapping): string | null {
  const wanted = [mapping.prompt, mapping.completion, ...(mapping.system ? [mapping.system] : [])];
  const missing = wanted.filter((c) => !header.includes(c));
  if (!missing.length) return null;
  return `the header has no column ${missing.map((c) => `"${c}"`).join(", ")} (columns: ${header.map((c) => `"${c}"`).join(", ")})`;
}

export function checkCsvRow(row: Record<string, string | undefined>, mapping: CsvMapping): CheckedExample | string {
  const prompt = row[mapping.prompt] ?? "";
  const completion = row[mapping.completion] ?? "";
  const system = mapping.system ? (row[mapping.system] ?? "") : "";
  if (prompt.trim() === "") return `column "${mapping.prompt}" is empty`;
  if (completion.trim() === "") return `column "${mapping.completion}" is empty`;
  const messages: ChatMessage[] = [];
  if (system.trim() !== "") messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: prompt }, { role: "assistant", content: completion });
  return { messages, hasTools: false };
}

/** Whether example number `index` (0-based, in file order) goes to validation: an even spread of exactly `percent`%. */
export function isValidationIndex(index: number, percent: number): boolean {
  if (percent <= 0) return false;
  return Math.floor(((index + 1) * percent) / 100) > Math.floor((index * percent) / 100);
}

export const HISTOGRAM_BINS = 12;

export interface DatasetStats {
  examples: number;
  trainExamples: number;
  validationExamples: number;
  tokens: number;
  assistantTokens: number;
  /** assistantTokens / tokens: the share the model learns from. */
  assistantShare: number;
  minTokens: number;
  maxTokens: number;
  meanTokens: number;
  /** The context the lengths were checked against (the chosen base's), and the bin edges derive from it. */
  contextLength: number;
  /** Counts of examples by length, HISTOGRAM_BINS equal bins from 0 to contextLength. */
  histogram: { from: number; to: number; count: number }[];
  withSystem: number;
  withTools: number;
}

/** Gathers issues and statistics example by example; holds no example text. */
export class DatasetChecker {
  readonly issues: LineIssue[] = [];
  issueCount = 0;
  private readonly lengths: number[];
  private s = { examples: 0, train: 0, val: 0, tokens: 0, assistant: 0, min: Infinity, max: 0, system: 0, tools: 0 };

  constructor(
    readonly options: { contextLength: number; validationPercent: number; maxIssues?: number },
  ) {
    this.lengths = new Array(HISTOGRAM_BINS).fill(0);
  }

  private issue(line: number, reason: string): void {
    this.issueCount++;
    if (this.issues.length < (this.options.maxIssues ?? 1000)) this.issues.push({ line, reason });
  }

  /**
   * Records one checked line. Returns where the example goes ("train" | "validation") with its
   * tokens, or null when the line was bad (the reason is recorded).
   */
  add(line: number, checked: CheckedExample | string): { split: "train" | "validation"; example: CheckedExample; tokens: number } | null {
    if (typeof checked === "string") {
      this.issue(line, checked);
      return null;
    }
    const { tokens, loss } = tokenizeConversation(checked.messages);
    if (tokens.length > this.options.contextLength) {
      this.issue(line, `${tokens.length} tokens, longer than the base model's context of ${this.options.contextLength} tokens`);
      return null;
    }
    const assistant = loss.reduce((a, b) => a + b, 0);
    const s = this.s;
    const split = isValidationIndex(s.examples, this.options.validationPercent) ? "validation" : "train";
    s.examples++;
    if (split === "validation") s.val++;
    else s.train++;
    s.tokens += tokens.length;
    s.assistant += assistant;
    s.min = Math.min(s.min, tokens.length);
    s.max = Math.max(s.max, tokens.length);
    if (checked.messages.some((m) => m.role === "system")) s.system++;
    if (checked.hasTools) s.tools++;
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor((tokens.length * HISTOGRAM_BINS) / Math.max(1, this.options.contextLength)));
    this.lengths[bin]++;
    return { split, example: checked, tokens: tokens.length };
  }

  stats(): DatasetStats {
    const s = this.s;
    const ctx = this.options.contextLength;
    return {
      examples: s.examples,
      trainExamples: s.train,
      validationExamples: s.val,
      tokens: s.tokens,
      assistantTokens: s.assistant,
      assistantShare: s.tokens ? s.assistant / s.tokens : 0,
      minTokens: s.examples ? s.min : 0,
      maxTokens: s.max,
      meanTokens: s.examples ? s.tokens / s.examples : 0,
      contextLength: ctx,
      histogram: this.lengths.map((count, i) => ({
        from: Math.round((i * ctx) / HISTOGRAM_BINS),
        to: Math.round(((i + 1) * ctx) / HISTOGRAM_BINS),
        count,
      })),
      withSystem: s.system,
      withTools: s.tools,
    };
  }
}
