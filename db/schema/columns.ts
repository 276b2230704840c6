// The columns most tables share (ids, timestamps, references), defined once so a table lists only what
// is its own. Each helper returns a new builder: drizzle builds one column per table from it.
import { bigserial, text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";

/** A text primary key made by the application (a random id or a slug). */
export const id = () => text("id").primaryKey();

/** A primary key from a sequence, for append-only rows (events, samples, usage). */
export const serialId = () => bigserial("id", { mode: "number" }).primaryKey();

/** Every timestamp is stored with its time zone. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const createdAt = () => timestamptz("created_at").notNull().defaultNow();
export const updatedAt = () => timestamptz("updated_at").notNull().defaultNow();

/** The row belongs to `parent` and is deleted with it. */
export const parentId = (name: string, parent: () => AnyPgColumn) =>
  text(name).notNull().references(parent, { onDelete: "cascade" });

/** The row names `target` but outlives it: the column becomes null when the target is removed. */
export const weakRef = (name: string, target: () => AnyPgColumn) => text(name).references(target, { onDelete: "set null" });
