// The byte-level vocabulary and chat template shared by Kindling's own models: the trainer
// tokenizes with it, the GGUF writer stores it, and llama.cpp reads it back (lib/gguf/FORMAT.md, "A byte-level vocabulary").

/** GGUF token types (llama.cpp's llama_token_type). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
/** First of the 256 byte tokens `<0x00>`..`<0xFF>`. */
export const BYTE_BASE = 3;
/** The SentencePiece space token (U+2581), used for the space byte so spaces round-trip. */
export const SPACE_ID = 259;

/** Chat control tokens, appended after the byte vocabulary. */
export const CHAT_TOKENS = {
  system: "<|system|>",
  user: "<|user|>",
  assistant: "<|assistant|>",
  tool: "<|tool|>",
  end: "<|end|>",
} as const;

export const SYSTEM_ID = 260;
export const USER_ID = 261;
export const ASSISTANT_ID = 262;
export const TOOL_ID = 263;
/** Ends every turn; also the end-of-generation token of chat models. */
export const END_ID = 264;
export const VOCAB_SIZE = 265;

export const ROLE_TOKEN_ID: Record<"system" | "user" | "assistant" | "tool", number> = {
  system: SYSTEM_ID,
  user: USER_ID,
  assistant: ASSISTANT_ID,
  tool: TOOL_ID,
};

/**
 * The Jinja chat template written into every Kindling GGUF. A conversation renders as
 * `<|role|>content<|end|>` per message, then `<|assistant|>` when a reply is wanted.
 */
export const KINDLING_CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

export interface Vocab {
  tokens: string[];
  scores: number[];
  tokenTypes: number[];
}

/** The token list, scores and types as the GGUF `tokenizer.ggml.*` arrays expect them. */
export function kindlingVocab(): Vocab {
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const tokenTypes: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    tokenTypes.push(TOKEN_TYPE.byte);
  }
  tokens.push("\u2581");
  tokenTypes.push(TOKEN_TYPE.normal);
  for (const t of [CHAT_TOKENS.system, CHAT_TOKENS.user, CHAT_TOKENS.assistant, CHAT_TOKENS.tool, CHAT_TOKENS.end]) {
    tokens.push(t);
    tokenTypes.push(TOKEN_TYPE.control);
  }
  const scores = tokens.map(() => 0);
  return { tokens, scores, tokenTypes };
}

/** UTF-8 text to token ids: one token per byte, the space byte as `▁`. */
export function encodeText(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  const ids = new Array<number>(bytes.length);
  for (let i = 0; i < bytes.length; i++) ids[i] = bytes[i] === 0x20 ? SPACE_ID : BYTE_BASE + bytes[i];
  return ids;
}

/** Token ids back to text; control tokens are dropped. */
export function decodeTokens(ids: readonly number[]): string {
  const bytes: number[] = [];
  for (const id of ids) {
    if (id === SPACE_ID) bytes.push(0x20);
    else if (id >= BYTE_BASE && id < BYTE_BASE + 256) bytes.push(id - BYTE_BASE);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
