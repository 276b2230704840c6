// Child process: greedy continuations from llama.cpp (node-llama-cpp) for a batch of token prompts.
// Run in its own process because a malformed GGUF can abort natively. Usage: tsx llama-greedy.ts <job.json>
// job: { model, adapter?, threads?, maxTokens, stop: number[], prompts: number[][] } -> stdout JSON number[][]
import { readFileSync } from "node:fs";
import { getLlama } from "node-llama-cpp";

interface Job {
  model: string;
  adapter?: string;
  threads?: number;
  maxTokens: number;
  stop: number[];
  prompts: number[][];
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8")) as Job;
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as never });
const model = await llama.loadModel({ modelPath: job.model });
const context = await model.createContext({
  contextSize: Math.min(model.trainContextSize, 512),
  threads: job.threads ?? 1,
  ...(job.adapter ? { lora: { adapters: [{ filePath: job.adapter, scale: 1 }] } } : {}),
});
const sequence = context.getSequence();
const results: number[][] = [];
for (const prompt of job.prompts) {
  await sequence.clearHistory();
  const out: number[] = [];
  if (out.length < job.maxTokens) {
    for await (const token of sequence.evaluate(prompt as never, { temperature: 0 })) {
      if (job.stop.includes(token as number)) break;
      out.push(token as number);
      if (out.length >= job.maxTokens || prompt.length + out.length >= context.contextSize) break;
    }
  }
  results.push(out);
}
await context.dispose();
await model.dispose();
await llama.dispose();
process.stdout.write(JSON.stringify(results));
