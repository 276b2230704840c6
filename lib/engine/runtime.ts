// The model side of an engine: one llama.cpp context with N sequences, a bounded queue, and generation.

import { randomInt } from "node:crypto";
import { basename } from "node:path";
import {
  getLlama,
  LlamaCompletion,
  LlamaLogLevel,
  resolveChatWrapper,
  TokenBias,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type LlamaText,
  type Token,
} from "node-llama-cpp";
import { KINDLING_CHAT_TEMPLATE } from "@/lib/gguf/kindling-vocab";
import type { EngineOptions } from "./args";
import { EngineError } from "./errors";
import { jsonSchemaToGbnf } from "./json-grammar";
import type { SamplingParams } from "./requests";

let llamaOnce: Promise<Llama> | undefined;

/**
 * llama.cpp's bindings, once per process. This is most of an engine's start (importing them and
 * node-llama-cpp's test of the prebuilt binary in a child process take seconds), so a standby engine
 * calls it before it is given a model (see cli.ts --standby).
 */
export function loadLlama(): Promise<Llama> {
  // stdout carries the ready line for the manager: llama.cpp's own logs go to stderr.
  llamaOnce ??= getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.warn,
    logger: (level: LlamaLogLevel, message: string) => process.stderr.write(`[llama.cpp ${level}] ${message}\n`),
    progressLogs: false,
  });
  return llamaOnce;
}

export interface Slot {
  sequence: LlamaContextSequence;
  completion: LlamaCompletion;
}

export interface GenerateInput {
  tokens: Token[];
  sampling: SamplingParams;
  grammar?: LlamaGrammar;
  /** Extra stop triggers (the chat template's end-of-turn text). */
  stopTriggers?: (string | LlamaText)[];
  signal: AbortSignal;
  onText?: (text: string) => void;
}

export type FinishReason = "stop" | "length";

export interface GenerateResult {
  text: string;
  completionTokens: number;
  finishReason: FinishReason;
  aborted: boolean;
}

interface Waiter {
  resolve: (slot: Slot) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class EngineRuntime {
  private readonly free: Slot[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly grammarCache = new Map<string, LlamaGrammar>();
  private json: LlamaGrammar | undefined;
  private grammarBias: TokenBias | undefined;
  readonly chatWrapper: ChatWrapper;
  readonly modelId: string;
  readonly contextSize: number;
  readonly created = Math.floor(Date.now() / 1000);

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly options: EngineOptions,
  ) {
    this.modelId = options.modelId ?? basename(options.modelPath).replace(/\.gguf$/i, "");
    this.contextSize = context.contextSize;
    // Kindling's own template needs no search: "auto" renders test chats against every specialized
    // wrapper first, 3-5 s of an engine's start here, and lands on the same Jinja wrapper.
    const own = model.fileInfo.metadata.tokenizer?.chat_template === KINDLING_CHAT_TEMPLATE;
    this.chatWrapper = resolveChatWrapper(model, own ? { type: "jinjaTemplate" } : undefined) ?? (() => { throw new Error("no chat wrapper for this model"); })();
    for (let i = 0; i < options.parallel; i++) {
      const sequence = context.getSequence();
      this.free.push({ sequence, completion: new LlamaCompletion({ contextSequence: sequence }) });
    }
  }

  static async load(options: EngineOptions): Promise<EngineRuntime> {
    await assertGgufHeader(options.modelPath);
    const llama = await loadLlama();
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const trained = model.trainContextSize;
    const contextSize = options.ctx ?? Math.min(trained > 0 ? trained : 4096, 4096);
    const context = await model.createContext({
      contextSize,
      sequences: options.parallel,
      threads: options.threads,
      lora: options.loras.length ? { adapters: options.loras.map((l) => ({ filePath: l.path, scale: l.scale })) } : undefined,
    });
    return new EngineRuntime(llama, model, context, options);
  }

  get active(): number {
    return this.options.parallel - this.free.length;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** A free sequence, or a place in the queue; 503 when the queue is full. */
  acquire(signal: AbortSignal): Promise<Slot> {
    const slot = this.free.pop();
    if (slot) return Promise.resolve(slot);
    if (this.waiters.length >= this.options.queue) {
      return Promise.reject(
        new EngineError(503, "The engine is at capacity; retry shortly", "server_error", null, "queue_full", { "Retry-After": "1" }),
      );
    }
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason ?? new Error("aborted"));
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(slot: Slot): void {
    const waiter = this.waiters.shift();
    if (!waiter) {
      this.free.push(slot);
      return;
    }
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(slot);
  }

  /** The BOS token LlamaCompletion puts before every input, if this model wants one. */
  private get bos(): Token | undefined {
    const { bos, shouldPrependBosToken } = this.model.tokens;
    return shouldPrependBosToken && bos != null ? bos : undefined;
  }

  /** Tokens exactly as the model will see them (BOS included), so usage counts match the tokenizer. */
  private withBos(tokens: Token[]): Token[] {
    const bos = this.bos;
    return bos !== undefined && tokens[0] !== bos ? [bos, ...tokens] : tokens;
  }

  tokenize(text: string): Token[] {
    return this.withBos(this.model.tokenize(text));
  }

  /** The chat prompt rendered by the model's own template, as tokens, plus the template's stop triggers. */
  chatPrompt(history: ChatHistoryItem[]): { tokens: Token[]; stopTriggers: LlamaText[] } {
    const state = this.chatWrapper.generateContextState({ chatHistory: history });
    return { tokens: this.withBos(state.contextText.tokenize(this.model.tokenizer)), stopTriggers: state.stopGenerationTriggers };
  }

  /** Throws UnsupportedSchemaError (naming the keyword) for a schema the grammar cannot enforce. */
  async jsonSchemaGrammar(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammarCache.get(key);
    if (!grammar) {
      grammar = await this.llama.createGrammar({ grammar: jsonSchemaToGbnf(schema) });
      if (this.grammarCache.size > 64) this.grammarCache.delete(this.grammarCache.keys().next().value!);
      this.grammarCache.set(key, grammar);
    }
    return grammar;
  }

  /**
   * Under a grammar, the byte-fallback tokens for bytes 0x80-0xFF are never sampled. llama.cpp's grammar
   * decodes UTF-8 without checking continuation bytes, so a weak model could string such tokens into
   * bytes that are not UTF-8: the grammar counts them as one character, the answer decodes to several
   * U+FFFD, and a string's maxLength (or the JSON itself) breaks. Characters the vocabulary has as
   * pieces are unaffected; others cannot appear inside a constrained answer.
   */
  private byteTokenBias(): TokenBias {
    if (!this.grammarBias) {
      this.grammarBias = new TokenBias(this.model.tokenizer);
      for (const token of this.model.iterateAllTokens()) {
        if (this.model.getTokenAttributes(token).byte && !/^[\x00-\x7f]$/.test(this.model.detokenize([token]))) this.grammarBias.set(token, "never");
      }
    }
    return this.grammarBias;
  }

  async jsonGrammar(): Promise<LlamaGrammar> {
    this.json ??= await this.llama.getGrammarFor("json");
    return this.json;
  }

  /** Throws a 400 when the prompt leaves no room to generate. */
  checkPromptFits(promptTokens: number, param: string): void {
    if (promptTokens >= this.contextSize - 1) {
      throw new EngineError(
        400,
        `This model's context is ${this.contextSize} tokens, but the prompt has ${promptTokens} tokens; shorten the ${param}`,
        "invalid_request_error",
        param,
        "context_length_exceeded",
      );
    }
  }

  async generate(slot: Slot, input: GenerateInput): Promise<GenerateResult> {
    const s = input.sampling;
    const room = this.contextSize - input.tokens.length;
    const maxTokens = Math.max(1, Math.min(s.maxTokens ?? room, room));
    const penalised = s.presencePenalty !== 0 || s.frequencyPenalty !== 0;
    let completionTokens = 0;
    // LlamaCompletion prepends BOS itself: a template that already starts with it must not get two.
    const tokens = this.bos !== undefined && input.tokens[0] === this.bos ? input.tokens.slice(1) : input.tokens;
    const result = await slot.completion.generateCompletionWithMeta(tokens, {
      maxTokens,
      temperature: s.temperature,
      topP: s.topP,
      topK: s.topK ?? 0,
      minP: s.minP ?? 0,
      // node-llama-cpp's default seed is the current second: two requests would share it.
      seed: s.seed ?? randomInt(2 ** 31),
      repeatPenalty: penalised
        ? { penalty: 1, presencePenalty: s.presencePenalty, frequencyPenalty: s.frequencyPenalty, lastTokens: 64 }
        : false,
      grammar: input.grammar,
      tokenBias: input.grammar ? this.byteTokenBias() : undefined,
      customStopTriggers: [...s.stop, ...(input.stopTriggers ?? [])],
      signal: input.signal,
      stopOnAbortSignal: true,
      disableContextShift: true,
      contextShiftSize: 1,
      onToken: (tokens) => {
        completionTokens += tokens.length;
      },
      onTextChunk: input.onText,
    });
    const reason = result.metadata.stopReason;
    return {
      text: result.response,
      completionTokens,
      finishReason: reason === "maxTokens" ? "length" : "stop",
      aborted: reason === "abort",
    };
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

/**
 * Refuses a file that does not start like a GGUF (magic "GGUF", version 2 or 3) before llama.cpp
 * sees it: given arbitrary bytes, the native loader was seen to hang instead of failing.
 */
export async function assertGgufHeader(path: string): Promise<void> {
  const { open } = await import("node:fs/promises");
  const file = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot open ${path}: ${error.code ?? error.message}`);
  });
  try {
    const header = Buffer.alloc(8);
    const { bytesRead } = await file.read(header, 0, 8, 0);
    if (bytesRead < 8 || header.toString("latin1", 0, 4) !== "GGUF") throw new Error(`${path} is not a GGUF file (it does not start with "GGUF")`);
    const version = header.readUInt32LE(4);
    if (version !== 2 && version !== 3) throw new Error(`${path} is GGUF version ${version}; llama.cpp reads versions 2 and 3`);
  } finally {
    await file.close();
  }
}
