// Takes an uploaded file as a stream: writes it to disk while hashing it (never holding it in
// memory), then streams through it line by line to check every example, and writes the normalised
// train and validation files. A file with any bad line is refused whole, with every line named.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { parse as parseCsv } from "csv-parse";
import { AppError } from "@/lib/errors";
import type { ChatMessage } from "@/lib/training/data";
import {
  DatasetChecker,
  checkCsvHeader,
  checkCsvRow,
  checkJsonlLine,
  type CheckedExample,
  type CsvMapping,
  type DatasetFormat,
  type DatasetStats,
  type LineIssue,
} from "./validate";

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
export const PREVIEW_EXAMPLES = 5;

export interface IngestOptions {
  format: DatasetFormat;
  csvMapping?: CsvMapping;
  /** The chosen base model's context, in its own tokens. */
  contextLength: number;
  /** Share of examples (0-50) held out for validation. */
  validationPercent: number;
  maxBytes?: number;
}

export type IngestResult =
  | {
      ok: true;
      /** Identifies the stored dataset: the file's hash together with how it was read and split. */
      id: string;
      contentSha256: string;
      sizeBytes: number;
      stats: DatasetStats;
      preview: ChatMessage[][];
      /** Directory holding train.jsonl and validation.jsonl (and the original as source). */
      dir: string;
    }
  | { ok: false; issues: LineIssue[]; issueCount: number; sizeBytes: number };

export function datasetId(contentSha256: string, options: Pick<IngestOptions, "format" | "csvMapping" | "validationPercent">): string {
  const key = JSON.stringify([contentSha256, options.format, options.csvMapping ?? null, options.validationPercent]);
  return `ds-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

/** Writes `source` to `file`, hashing as it goes; refuses past `maxBytes` and removes what it wrote. */
async function spool(source: AsyncIterable<Uint8Array>, file: string, maxBytes: number): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  const out = createWriteStream(file, { flags: "wx" });
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw new AppError("VALIDATION", `The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit.`, {
          fieldErrors: { file: [`larger than ${Math.round(maxBytes / 1024 / 1024)} MB`] },
        });
      }
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
  return { sha256: hash.digest("hex"), size };
}

/** Checked examples of the spooled file, each with its 1-based line number, in file order. */
async function* readExamples(
  file: string,
  options: IngestOptions,
  issue: (line: number, reason: string) => void,
): AsyncGenerator<{ line: number; checked: CheckedExample | string }> {
  if (options.format === "jsonl") {
    const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
    let line = 0;
    for await (const raw of lines) {
      line++;
      const checked = checkJsonlLine(line === 1 ? raw.replace(/^\uFEFF/, "") : raw);
      if (checked !== null) yield { line, checked };
    }
    return;
  }
  const mapping = options.csvMapping;
  if (!mapping) throw new AppError("VALIDATION", "Say which CSV columns hold the prompt and the completion.", { fieldErrors: { csvMapping: ["required for CSV"] } });
  let headerProblem: string | null = null;
  const parser = createReadStream(file).pipe(
    parseCsv({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (header: string[]) => {
        headerProblem = checkCsvHeader(header, mapping);
        return header;
      },
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (headerProblem) break;
      yield { line: info.lines, checked: checkCsvRow(record, mapping) };
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    issue(line, `not valid CSV (${(error as Error).message})`);
  }
  if (headerProblem) issue(1, headerProblem);
}

/**
 * Spools `source` into `root` and checks it. On success the dataset's files are in `root/<id>`
 * (left as they were when a dataset with the same id is already stored); on failure nothing is kept.
 */
export async function ingestDataset(source: AsyncIterable<Uint8Array>, root: string, options: IngestOptions): Promise<IngestResult> {
  const work = path.join(root, "tmp", randomUUID());
  await mkdir(work, { recursive: true });
  try {
    const spooled = await spool(source, path.join(work, "source"), options.maxBytes ?? MAX_UPLOAD_BYTES);
    const checker = new DatasetChecker({ contextLength: options.contextLength, validationPercent: options.validationPercent });
    const train = createWriteStream(path.join(work, "train.jsonl"));
    const validation = createWriteStream(path.join(work, "validation.jsonl"));
    const preview: ChatMessage[][] = [];
    const write = async (stream: typeof train, text: string) => {
      if (!stream.write(text)) await once(stream, "drain");
    };
    try {
      for await (const { line, checked } of readExamples(path.join(work, "source"), options, (l, r) => checker.add(l, r))) {
        const added = checker.add(line, checked);
        if (!added || checker.issueCount > 0) continue; // once a line is bad, only keep checking
        if (preview.length < PREVIEW_EXAMPLES) preview.push(added.example.messages);
        await write(added.split === "train" ? train : validation, `${JSON.stringify({ messages: added.example.messages })}\n`);
      }
    } finally {
      train.end();
      validation.end();
      await Promise.all([once(train, "close"), once(validation, "close")]);
    }
    const stats = checker.stats();
    if (checker.issueCount === 0 && stats.examples === 0) checker.add(0, "the file has no examples");
    if (checker.issueCount === 0 && stats.trainExamples === 0) checker.add(0, "every example went to validation; lower the validation share");
    if (checker.issueCount > 0) return { ok: false, issues: checker.issues, issueCount: checker.issueCount, sizeBytes: spooled.size };

    const id = datasetId(spooled.sha256, options);
    const dest = path.join(root, id);
    const exists = await stat(dest).then(
      () => true,
      () => false,
    );
    if (!exists) {
      try {
        await rename(work, dest);
      } catch (error) {
        // Another upload of the same content won the race: its files are identical.
        if (!(await stat(dest).catch(() => null))) throw error;
      }
    }
    return { ok: true, id, contentSha256: spooled.sha256, sizeBytes: spooled.size, stats, preview, dir: dest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
