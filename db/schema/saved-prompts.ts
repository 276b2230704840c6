// Playground conversations and their settings saved under a name, shared with the team.
import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";

export const savedPrompts = pgTable("saved_prompts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** The playground state: panels with their model and settings, the system prompt and the conversation. */
  data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
  createdByEmail: text("created_by_email"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type SavedPrompt = typeof savedPrompts.$inferSelect;
