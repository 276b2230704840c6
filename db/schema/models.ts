// Models of each provider, as the catalogue lists them.
import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, createdAt, updatedAt, parentId } from "./columns";
import { providers } from "./providers";

export const models = pgTable(
  "models",
  {
    id: id(),
    providerId: parentId("provider_id", () => providers.id),
    /** The model's id at its provider (what goes in the request's `model` field). */
    name: text("name").notNull(),
    displayName: text("display_name"),
    contextLength: integer("context_length"),
    tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("models_provider_name_idx").on(t.providerId, t.name)],
);

export type Model = typeof models.$inferSelect;
