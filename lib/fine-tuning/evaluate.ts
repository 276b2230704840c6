// The before/after check on a job's validation examples: greedy answers from llama.cpp (the engine
// that will serve the model), scored by exact match and, for JSON answers, by schema validity.
import "server-only";
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { END_ID, decodeTokens } from "@/lib/gguf/kindling-vocab";
import { promptTokens, type ChatMessage } from "@/lib/training/data";
import { scoreAnswers, type AnswerScore } from "./score";

export type { AnswerScore };

async function greedyAnswers(model: string, adapter: string | null, prompts: number[][], workDir: string): Promise<string[]> {
  const job = path.join(workDir, `greedy-${process.pid}-${Date.now()}.json`);
  await writeFile(job, JSON.stringify({ model, adapter: adapter ?? undefined, maxTokens: 96, stop: [END_ID], threads: 1, prompts }));
  try {
    const cli = path.join(/*turbopackIgnore: true*/ process.cwd(), "lib", "training", "llama-greedy.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, job], { maxBuffer: 1 << 26, timeout: 300_000 });
    return (JSON.parse(stdout) as number[][]).map((ids) => decodeTokens(ids));
  } finally {
    await rm(job, { force: true });
  }
}

export interface BeforeAfter {
  examples: number;
  before: AnswerScore;
  after: AnswerScore;
  /** A few examples with both answers, for the job page. */
  samples: { prompt: string; expected: string; before: string; after: string }[];
}

/** Scores the base and the fine-tuned model on up to `limit` examples of a validation file. */
export async function beforeAfter(
  options: { basePath: string; tunedPath: string; adapterPath: string | null; validationFile: string; workDir: string; limit?: number },
): Promise<BeforeAfter> {
  const chats = (await readFile(options.validationFile, "utf8"))
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, options.limit ?? 100)
    .map((l) => (JSON.parse(l) as { messages: ChatMessage[] }).messages)
    .filter((m) => m.at(-1)?.role === "assistant");
  const prompts = chats.map((c) => promptTokens(c));
  const expected = chats.map((c) => c.at(-1)!.content);
  const before = await greedyAnswers(options.basePath, null, prompts, options.workDir);
  const after = options.adapterPath
    ? await greedyAnswers(options.basePath, options.adapterPath, prompts, options.workDir)
    : await greedyAnswers(options.tunedPath, null, prompts, options.workDir);
  return {
    examples: chats.length,
    before: scoreAnswers(before, expected),
    after: scoreAnswers(after, expected),
    samples: chats.slice(0, 5).map((c, i) => ({
      prompt: c.filter((m) => m.role !== "assistant").at(-1)?.content ?? "",
      expected: expected[i],
      before: before[i],
      after: after[i],
    })),
  };
}
