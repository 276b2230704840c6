// Reproduces the starter model: generates its synthetic data from STARTER_SEED, trains the "small"
// preset with this trainer, writes kindling-starter.gguf (F16), and refreshes the example answers in
// assets/starter/README.md from the written file. Also writes the sample fine-tuning dataset (CSV extraction).
// Usage: npx tsx lib/training/starter/build-starter.ts [--threads 2] [--work /tmp/kindling-starter] [--data-only]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { promptTokens } from "../data";
import { generateText } from "../generate";
import { runTraining, type TrainProgress } from "../trainer";
import { loadBaseGguf } from "../weights";
import { EXAMPLE_PROMPTS, csvExamples, starterExamples, type ChatExample } from "./tasks";

export const STARTER_SEED = 20261127;
const STAGE3_MIX = { extract: 0.2, arithmetic: 0.5, uppercase: 0.08, reverse: 0.1, polite: 0.06, talk: 0.06 };
// The built files are assets, not library code: they live in assets/starter at the repository root.
const assets = fileURLToPath(new URL("../../../assets/starter/", import.meta.url));
export const STARTER_GGUF = join(assets, "kindling-starter.gguf");
export const FINETUNE_TRAIN = join(assets, "finetune-csv.train.jsonl");
export const FINETUNE_VAL = join(assets, "finetune-csv.val.jsonl");
/** The CI eval suite: the first 100 held-out validation conversations (`npm run eval`, e2e/evals.spec.ts). */
export const EVAL_SUITE = join(assets, "eval-suite.jsonl");

const toJsonl = (xs: ChatExample[]) => xs.map((x) => JSON.stringify(x)).join("\n") + "\n";

/** Answers to the README prompts from a GGUF file, as the engine would run it (greedy). */
export async function exampleAnswers(gguf: string): Promise<{ prompt: string; answer: string }[]> {
  const { cfg, params } = await loadBaseGguf(gguf);
  return EXAMPLE_PROMPTS.map((prompt) => ({
    prompt,
    answer: generateText({ cfg, params }, promptTokens([{ role: "user", content: prompt }]), 96),
  }));
}

function taskOf(prompt: string): string {
  if (prompt.startsWith("Extract")) return "extract JSON";
  if (/^(What is|Compute) \d|^\d+ [-+*] \d+ =/.test(prompt)) return "arithmetic";
  if (/uppercase/i.test(prompt)) return "uppercase";
  if (prompt.startsWith("Reverse")) return "reverse word order";
  if (prompt.startsWith("Make it polite")) return "make it polite";
  return "small talk";
}

/** Exact match per task on the held-out validation conversations, decoded greedily from the GGUF. */
export async function heldOutByTask(gguf: string, chats: ChatExample[]): Promise<{ task: string; n: number; exact: number }[]> {
  const { cfg, params } = await loadBaseGguf(gguf);
  const byTask = new Map<string, { n: number; hits: number }>();
  for (const c of chats) {
    const [user, assistant] = c.messages;
    const got = generateText({ cfg, params }, promptTokens([user]), 96);
    const t = byTask.get(taskOf(user.content)) ?? { n: 0, hits: 0 };
    t.n++;
    if (got === assistant.content) t.hits++;
    byTask.set(taskOf(user.content), t);
  }
  return [...byTask].map(([task, { n, hits }]) => ({ task, n, exact: (100 * hits) / n }));
}

function refreshReadme(answers: { prompt: string; answer: string }[], tasks: { task: string; n: number; exact: number }[]): void {
  const path = join(assets, "README.md");
  const cell = (s: string) => "`" + s.replace(/\|/g, "\\|").replace(/`/g, "'") + "`";
  const table = ["| prompt | the starter model's answer (greedy) |", "| --- | --- |", ...answers.map((a) => `| ${cell(a.prompt)} | ${cell(a.answer)} |`)];
  const text = readFileSync(path, "utf8");
  const perTask = ["| task | held-out examples | exact match |", "| --- | --- | --- |", ...tasks.map((t) => `| ${t.task} | ${t.n} | ${t.exact.toFixed(1)}% |`)];
  const next = text
    .replace(/<!-- answers:start -->[\s\S]*<!-- answers:end -->/, `<!-- answers:start -->\n${table.join("\n")}\n<!-- answers:end -->`)
    .replace(/<!-- tasks:start -->[\s\S]*<!-- tasks:end -->/, `<!-- tasks:start -->\n${perTask.join("\n")}\n<!-- tasks:end -->`);
  writeFileSync(path, next);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { threads: { type: "string", default: "2" }, work: { type: "string" }, "data-only": { type: "boolean" }, "answers-only": { type: "boolean" } },
  });
  writeFileSync(FINETUNE_TRAIN, toJsonl(csvExamples(STARTER_SEED + 1, 1000)));
  writeFileSync(FINETUNE_VAL, toJsonl(csvExamples(STARTER_SEED + 2, 200)));
  writeFileSync(EVAL_SUITE, toJsonl(starterExamples(STARTER_SEED + 3, 300).slice(0, 100)));
  if (values["data-only"]) process.exit(0);
  if (!values["answers-only"]) {
    const work = values.work ?? join(tmpdir(), "kindling-starter");
    mkdirSync(work, { recursive: true });
    const progress = (stage: string) => (p: TrainProgress) =>
      console.log(`${stage} step ${p.step}/${p.totalSteps} epoch ${p.epoch.toFixed(2)} loss ${p.trainLoss.toFixed(3)} ` +
        `val ${p.valLoss?.toFixed(3) ?? "-"} ${Math.round(p.tokensPerSecond)} tok/s eta ${Math.round(p.etaSeconds)}s`);
    writeFileSync(join(work, "val.jsonl"), toJsonl(starterExamples(STARTER_SEED + 3, 300)));
    // Each stage: 3 epochs of full training on its own train<n>.jsonl, resumable from its checkpoint.
    const runStage = async (stage: number, options: { base: string; out: string; seed: number; lr: number }) => {
      const r = await runTraining(
        {
          ...options, data: join(work, `train${stage}.jsonl`), val: join(work, "val.jsonl"), method: "full", epochs: 3,
          batch: 8, threads: Number(values.threads), checkpoint: join(work, `stage${stage}.ckpt`), checkpointEvery: 50,
          resume: true, fileType: "F16", name: "kindling-starter",
        },
        { onProgress: progress(`stage ${stage}`) },
      );
      console.log(`stage ${stage}: ${r.steps} steps, ${r.tokens} tokens in ${r.seconds.toFixed(0)} s; val loss ${r.valLoss}`);
    };
    // Each stage trains on 16,000 fresh conversations; a finished stage 1 or 2 is not redone.
    const stage1 = join(work, "stage1.gguf");
    if (!existsSync(stage1)) {
      writeFileSync(join(work, "train1.jsonl"), toJsonl(starterExamples(STARTER_SEED, 16000)));
      await runStage(1, { base: "small", out: stage1, seed: STARTER_SEED, lr: 2e-3 });
    }
    writeFileSync(join(work, "train2.jsonl"), toJsonl(starterExamples(STARTER_SEED + 10, 16000)));
    const stage2 = join(work, "stage2.gguf");
    if (!existsSync(stage2)) await runStage(2, { base: stage1, out: stage2, seed: STARTER_SEED + 10, lr: 1e-3 });
    // Stage 2 left arithmetic at 40% held-out and everything else at 97-100%: stage 3 leans on arithmetic.
    writeFileSync(join(work, "train3.jsonl"), toJsonl(starterExamples(STARTER_SEED + 20, 16000, STAGE3_MIX)));
    await runStage(3, { base: stage2, out: STARTER_GGUF, seed: STARTER_SEED + 20, lr: 1e-3 });
  }
  const answers = await exampleAnswers(STARTER_GGUF);
  for (const a of answers) console.log(`${a.prompt}\n  -> ${a.answer}`);
  const tasks = await heldOutByTask(STARTER_GGUF, starterExamples(STARTER_SEED + 3, 300));
  for (const t of tasks) console.log(`held-out ${t.task}: ${t.exact.toFixed(1)}% of ${t.n}`);
  refreshReadme(answers, tasks);
}
