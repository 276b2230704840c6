// Stored fine-tuning datasets: creation from an upload stream, reads, and the DTO the pages use.
import "server-only";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { datasets, type Dataset } from "@/db/schema";
import { dataDir } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ChatMessage } from "@/lib/training/data";
import { ingestDataset, type IngestOptions } from "./ingest";
import type { DatasetStats, LineIssue } from "./validate";

export function datasetsRoot(): string {
  return path.join(dataDir(), "datasets");
}

export interface DatasetDto {
  id: string;
  name: string;
  format: string;
  contentSha256: string;
  sizeBytes: number;
  validationPercent: number;
  examples: number;
  trainExamples: number;
  validationExamples: number;
  tokens: number;
  maxExampleTokens: number;
  stats: DatasetStats;
  preview: ChatMessage[][];
  createdAt: string;
}

export function toDatasetDto(row: Dataset): DatasetDto {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    contentSha256: row.contentSha256,
    sizeBytes: row.sizeBytes,
    validationPercent: row.validationPercent,
    examples: row.examples,
    trainExamples: row.trainExamples,
    validationExamples: row.validationExamples,
    tokens: row.tokens,
    maxExampleTokens: row.maxExampleTokens,
    stats: row.stats as unknown as DatasetStats,
    preview: row.preview as ChatMessage[][],
    createdAt: row.createdAt.toISOString(),
  };
}

export type CreateDatasetResult =
  | { ok: true; dataset: DatasetDto; existed: boolean }
  | { ok: false; issues: LineIssue[]; issueCount: number };

/**
 * Checks and stores an uploaded file. A file with bad lines stores nothing and returns every line
 * with its reason; the same content read the same way returns the dataset already stored.
 */
export async function createDataset(
  db: Tx,
  source: AsyncIterable<Uint8Array>,
  input: IngestOptions & { name: string; createdBy: string | null },
  root: string = datasetsRoot(),
): Promise<CreateDatasetResult> {
  const name = input.name.trim();
  if (!name) throw new AppError("VALIDATION", "Give the dataset a name.", { fieldErrors: { name: ["required"] } });
  const result = await ingestDataset(source, root, input);
  if (!result.ok) return { ok: false, issues: result.issues, issueCount: result.issueCount };
  const [inserted] = await db
    .insert(datasets)
    .values({
      id: result.id,
      name,
      format: input.format,
      csvMapping: input.csvMapping ?? null,
      contentSha256: result.contentSha256,
      sizeBytes: result.sizeBytes,
      validationPercent: input.validationPercent,
      examples: result.stats.examples,
      trainExamples: result.stats.trainExamples,
      validationExamples: result.stats.validationExamples,
      tokens: result.stats.tokens,
      maxExampleTokens: result.stats.maxTokens,
      stats: result.stats as unknown as Record<string, unknown>,
      preview: result.preview,
      createdBy: input.createdBy,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { ok: true, dataset: toDatasetDto(inserted), existed: false };
  const existing = await getDataset(db, result.id);
  return { ok: true, dataset: existing, existed: true };
}

export async function getDataset(db: Tx, id: string): Promise<DatasetDto> {
  const [row] = await db.select().from(datasets).where(eq(datasets.id, id));
  if (!row) throw new AppError("NOT_FOUND", "There is no such dataset.");
  return toDatasetDto(row);
}

export async function listDatasets(db: Tx, options: { limit?: number } = {}): Promise<DatasetDto[]> {
  const rows = await db.select().from(datasets).orderBy(desc(datasets.createdAt)).limit(options.limit ?? 200);
  return rows.map(toDatasetDto);
}

/** Where a stored dataset's normalised files are. */
export function datasetFiles(id: string, root: string = datasetsRoot()): { train: string; validation: string; source: string } {
  if (!/^ds-[0-9a-f]{24}$/.test(id)) throw new AppError("VALIDATION", "That is not a dataset id.");
  const dir = path.join(root, id);
  return { train: path.join(dir, "train.jsonl"), validation: path.join(dir, "validation.jsonl"), source: path.join(dir, "source") };
}
