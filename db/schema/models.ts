// Models of each provider, as the catalogue lists them.
import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { providers } from "./providers";

export const models = pgTable(
  "models",
  {
    id: text("id").primaryKey(),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    /** The model's id at its provider (what goes in the request's `model` field). */
    name: text("name").notNull(),
    displayName: text("display_name"),
    contextLength: integer("context_length"),
    tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("models_provider_name_idx").on(t.providerId, t.name)],
);

export type Model = typeof models.$inferSelect;
