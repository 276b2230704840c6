// Playground conversations and their settings saved under a name, shared with the team.
import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { id, createdAt, updatedAt, weakRef } from "./columns";
import { user } from "./auth";

export const savedPrompts = pgTable("saved_prompts", {
  id: id(),
  name: text("name").notNull(),
  /** The playground state: panels with their model and settings, the system prompt and the conversation. */
  data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  createdBy: weakRef("created_by", () => user.id),
  createdByEmail: text("created_by_email"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type SavedPrompt = typeof savedPrompts.$inferSelect;
