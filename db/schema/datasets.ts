// Fine-tuning datasets: checked, normalised and immutable; identified by the file's content hash
// together with how it was read and split. The files live under $KINDLING_DATA_DIR/datasets/<id>.
import { bigint, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { id, createdAt, weakRef } from "./columns";
import { user } from "./auth";

export const datasets = pgTable(
  "datasets",
  {
    id: id(),
    name: text("name").notNull(),
    /** "jsonl" (chat or prompt/completion) or "csv". */
    format: text("format").notNull(),
    /** CSV only: which columns hold the prompt, the completion and (optionally) a system prompt. */
    csvMapping: jsonb("csv_mapping").$type<{ prompt: string; completion: string; system?: string }>(),
    contentSha256: text("content_sha256").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    validationPercent: integer("validation_percent").notNull(),
    examples: integer("examples").notNull(),
    trainExamples: integer("train_examples").notNull(),
    validationExamples: integer("validation_examples").notNull(),
    tokens: bigint("tokens", { mode: "number" }).notNull(),
    /** The longest example in tokens: a base with a shorter context cannot train on it. */
    maxExampleTokens: integer("max_example_tokens").notNull(),
    /** DatasetStats from lib/datasets/validate.ts (histogram, shares, the context checked against). */
    stats: jsonb("stats").$type<Record<string, unknown>>().notNull(),
    /** The first few examples, normalised to chat messages. */
    preview: jsonb("preview").$type<{ role: string; content: string }[][]>().notNull(),
    createdBy: weakRef("created_by", () => user.id),
    createdAt: createdAt(),
  },
  (t) => [index("datasets_created_idx").on(t.createdAt)],
);

export type Dataset = typeof datasets.$inferSelect;
export type NewDataset = typeof datasets.$inferInsert;
