// Saved prompts: a playground conversation and its settings under a name, shared with the team.
// Anyone signed in can load them; members save; the author or an admin renames and deletes.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { savedPrompts, type SavedPrompt } from "@/db/schema";
import { hasRole, type Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { SavedPromptData } from "./saved-prompt-data";

export interface SavedPromptSummary {
  id: string;
  name: string;
  createdByEmail: string | null;
  updatedAt: string;
}

const summary = (p: SavedPrompt): SavedPromptSummary => ({
  id: p.id,
  name: p.name,
  createdByEmail: p.createdByEmail,
  updatedAt: p.updatedAt.toISOString(),
});

export async function listSavedPrompts(db: Tx): Promise<SavedPromptSummary[]> {
  const rows = await db.select().from(savedPrompts).orderBy(desc(savedPrompts.updatedAt)).limit(500);
  return rows.map(summary);
}

export async function getSavedPrompt(db: Tx, id: string): Promise<{ id: string; name: string; data: SavedPromptData }> {
  const [row] = await db.select().from(savedPrompts).where(eq(savedPrompts.id, id));
  if (!row) throw new AppError("NOT_FOUND", "That saved prompt no longer exists.");
  return { id: row.id, name: row.name, data: row.data as unknown as SavedPromptData };
}

export async function createSavedPrompt(
  db: Tx,
  actor: { id: string; email: string },
  input: { name: string; data: SavedPromptData },
): Promise<SavedPromptSummary> {
  const [row] = await db
    .insert(savedPrompts)
    .values({ id: randomUUID(), name: input.name, data: input.data as unknown as Record<string, unknown>, createdBy: actor.id, createdByEmail: actor.email })
    .returning();
  return summary(row);
}

/** Which rows an actor may change: the author's own, or any for an admin. Part of the write's WHERE. */
function changeableBy(actor: { id: string; role: Role }, id: string): SQL | undefined {
  return hasRole(actor.role, "admin") ? eq(savedPrompts.id, id) : and(eq(savedPrompts.id, id), eq(savedPrompts.createdBy, actor.id));
}

/** After a scoped write touched no row: say whether it was missing or someone else's. */
async function refusal(db: Tx, id: string): Promise<AppError> {
  const [row] = await db.select({ id: savedPrompts.id }).from(savedPrompts).where(eq(savedPrompts.id, id));
  return row
    ? new AppError("FORBIDDEN", "Only its author or an admin can change this saved prompt.")
    : new AppError("NOT_FOUND", "That saved prompt no longer exists.");
}

export async function renameSavedPrompt(db: Tx, actor: { id: string; role: Role }, input: { id: string; name: string }) {
  const [row] = await db
    .update(savedPrompts)
    .set({ name: input.name, updatedAt: new Date() })
    .where(changeableBy(actor, input.id))
    .returning();
  if (!row) throw await refusal(db, input.id);
  return summary(row);
}

export async function deleteSavedPrompt(db: Tx, actor: { id: string; role: Role }, id: string): Promise<void> {
  const deleted = await db.delete(savedPrompts).where(changeableBy(actor, id)).returning({ id: savedPrompts.id });
  if (deleted.length === 0) throw await refusal(db, id);
}
