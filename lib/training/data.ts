// Training data: chat or prompt/completion JSONL, tokenized exactly as KINDLING_CHAT_TEMPLATE renders a
// conversation (`<|role|>content<|end|>` per message, no BOS), with loss on assistant tokens only, then packed.
import { readFile } from "node:fs/promises";
import { END_ID, ROLE_TOKEN_ID, encodeText } from "../gguf/kindling-vocab";
import { rng, type Row } from "./model";

export type Role = "system" | "user" | "assistant" | "tool";
export interface ChatMessage {
  role: Role;
  content: string;
}

export interface Example {
  tokens: Int32Array;
  /** 1 where the token is one the model must learn to produce (assistant content and its `<|end|>`). */
  loss: Uint8Array;
  line: number;
}

export interface DataIssue {
  line: number;
  message: string;
}

/** Every problem found in a dataset, each with its 1-based line number. */
export class DatasetError extends Error {
  constructor(readonly file: string, readonly issues: DataIssue[]) {
    const shown = issues.slice(0, 20).map((i) => `  line ${i.line}: ${i.message}`);
    if (issues.length > 20) shown.push(`  ... and ${issues.length - 20} more`);
    super(`${file}: ${issues.length} bad line${issues.length === 1 ? "" : "s"}\n${shown.join("\n")}`);
    this.name = "DatasetError";
  }
}

const ROLES = new Set<string>(["system", "user", "assistant", "tool"]);

/** The messages of one JSONL record, or a sentence saying why it is not a valid example. */
export function parseRecord(value: unknown): ChatMessage[] | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const rec = value as Record<string, unknown>;
  if ("messages" in rec) {
    if (!Array.isArray(rec.messages) || rec.messages.length === 0) return `"messages" must be a non-empty array`;
    const out: ChatMessage[] = [];
    for (const [i, m] of rec.messages.entries()) {
      if (typeof m !== "object" || m === null) return `messages[${i}] is not an object`;
      const { role, content } = m as Record<string, unknown>;
      if (typeof role !== "string" || !ROLES.has(role)) return `messages[${i}].role must be one of system, user, assistant, tool`;
      if (typeof content !== "string") return `messages[${i}].content must be a string`;
      out.push({ role: role as Role, content });
    }
    if (!out.some((m) => m.role === "assistant")) return "no assistant message: nothing to learn from";
    return out;
  }
  if ("prompt" in rec || "completion" in rec) {
    if (typeof rec.prompt !== "string") return `"prompt" must be a string`;
    if (typeof rec.completion !== "string") return `"completion" must be a string`;
    return [{ role: "user", content: rec.prompt }, { role: "assistant", content: rec.completion }];
  }
  return `expected {"messages": [...]} or {"prompt": ..., "completion": ...}`;
}

/** Tokens of a conversation as the chat template renders it; loss marks assistant content and its end token. */
export function tokenizeConversation(messages: ChatMessage[]): { tokens: number[]; loss: number[] } {
  const tokens: number[] = [];
  const loss: number[] = [];
  for (const m of messages) {
    const learn = m.role === "assistant" ? 1 : 0;
    tokens.push(ROLE_TOKEN_ID[m.role]);
    loss.push(0);
    for (const id of encodeText(m.content)) {
      tokens.push(id);
      loss.push(learn);
    }
    tokens.push(END_ID);
    loss.push(learn);
  }
  return { tokens, loss };
}

/** The prompt a model is given to answer `messages` (all but a final assistant turn), ending in `<|assistant|>`. */
export function promptTokens(messages: ChatMessage[]): number[] {
  const upTo = messages.at(-1)?.role === "assistant" ? messages.slice(0, -1) : messages;
  return [...tokenizeConversation(upTo).tokens, ROLE_TOKEN_ID.assistant];
}

/** Parses a whole JSONL text; throws one DatasetError listing every bad line. */
export function parseJsonl(text: string, opts: { contextLength: number; file?: string }): Example[] {
  const file = opts.file ?? "dataset";
  const issues: DataIssue[] = [];
  const examples: Example[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      issues.push({ line, message: `invalid JSON (${(e as Error).message})` });
      continue;
    }
    const messages = parseRecord(value);
    if (typeof messages === "string") {
      issues.push({ line, message: messages });
      continue;
    }
    const { tokens, loss } = tokenizeConversation(messages);
    if (tokens.length > opts.contextLength) {
      issues.push({ line, message: `example is ${tokens.length} tokens, longer than the model's context of ${opts.contextLength} tokens` });
      continue;
    }
    examples.push({ tokens: Int32Array.from(tokens), loss: Uint8Array.from(loss), line });
  }
  if (issues.length) throw new DatasetError(file, issues);
  if (!examples.length) throw new DatasetError(file, [{ line: 0, message: "no examples in the file" }]);
  return examples;
}

export async function loadDataset(path: string, contextLength: number): Promise<Example[]> {
  return parseJsonl(await readFile(path, "utf8"), { contextLength, file: path });
}

/** In-place seeded Fisher-Yates shuffle. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const r = rng(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Where each packed row starts: the index of its first example, for examples of these lengths in this
 * order, each row filled greedily up to rowLength tokens. The trainer packs by it; the estimate counts by it.
 */
export function rowStarts(lengths: ArrayLike<number>, rowLength: number): number[] {
  const starts: number[] = [];
  let len = 0;
  for (let i = 0; i < lengths.length; i++) {
    if (i === 0 || len + lengths[i] > rowLength) {
      starts.push(i);
      len = 0;
    }
    len += lengths[i];
  }
  return starts;
}

/** Packs examples (in the given order) into rows of at most rowLength tokens; each keeps its own attention and positions. */
export function packExamples(examples: Example[], rowLength: number): Row[] {
  for (const ex of examples) {
    if (ex.tokens.length > rowLength) throw new Error(`line ${ex.line}: example of ${ex.tokens.length} tokens exceeds rows of ${rowLength}`);
  }
  const starts = rowStarts(examples.map((ex) => ex.tokens.length), rowLength);
  return starts.map((start, r) => {
    const cur = examples.slice(start, starts[r + 1] ?? examples.length);
    const len = cur.reduce((s, ex) => s + ex.tokens.length, 0);
    const row: Row = {
      tokens: new Int32Array(len), targets: new Int32Array(len).fill(-1), pos: new Int32Array(len), segStart: new Int32Array(len),
    };
    let o = 0;
    for (const ex of cur) {
      const n = ex.tokens.length;
      row.tokens.set(ex.tokens, o);
      for (let i = 0; i < n; i++) {
        row.pos[o + i] = i;
        row.segStart[o + i] = o;
        if (i + 1 < n && ex.loss[i + 1]) row.targets[o + i] = ex.tokens[i + 1];
      }
      o += n;
    }
    return row;
  });
}

export function countTargets(row: Row): number {
  let n = 0;
  for (let i = 0; i < row.targets.length; i++) if (row.targets[i] >= 0) n++;
  return n;
}
