import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { savedPrompts, user } from "@/db/schema";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { appErrorOf } from "@/lib/testing/app-error";
import type { SavedPromptData } from "./saved-prompt-data";
import { createSavedPrompt, deleteSavedPrompt, getSavedPrompt, renameSavedPrompt } from "./saved-prompts";

let handle: TestDatabase;
const author = { id: "u-author", email: "author@example.test", role: "member" as const };
const other = { id: "u-other", email: "other@example.test", role: "member" as const };
const admin = { id: "u-admin", email: "admin@example.test", role: "admin" as const };
const data: SavedPromptData = { version: 1, systemPrompt: "", syncSettings: false, panels: [{ modelId: "m", params: {}, messages: [{ role: "user", content: "hi" }] }] };

beforeAll(async () => {
  handle = await openTestDatabase();
  await handle.db.insert(user).values([author, other, admin].map((u) => ({ id: u.id, name: u.id, email: u.email, role: u.role })));
});
afterAll(async () => {
  await handle?.close();
});

describe(`saved prompts on ${process.env.KINDLING_TEST_DB}`, () => {
  it("lets the author and an admin rename, and refuses another member without changing the row", async () => {
    const p = await createSavedPrompt(handle.db, author, { name: "first", data });
    expect((await renameSavedPrompt(handle.db, author, { id: p.id, name: "by author" })).name).toBe("by author");
    await appErrorOf(renameSavedPrompt(handle.db, other, { id: p.id, name: "by other" }), "FORBIDDEN");
    expect((await getSavedPrompt(handle.db, p.id)).name).toBe("by author");
    expect((await renameSavedPrompt(handle.db, admin, { id: p.id, name: "by admin" })).name).toBe("by admin");
    await appErrorOf(renameSavedPrompt(handle.db, author, { id: "no-such-id", name: "x" }), "NOT_FOUND");
  });

  it("lets only the author or an admin delete", async () => {
    const mine = await createSavedPrompt(handle.db, author, { name: "mine", data });
    await appErrorOf(deleteSavedPrompt(handle.db, other, mine.id), "FORBIDDEN");
    expect(await handle.db.select().from(savedPrompts).where(eq(savedPrompts.id, mine.id))).toHaveLength(1);
    await deleteSavedPrompt(handle.db, author, mine.id);
    await appErrorOf(getSavedPrompt(handle.db, mine.id), "NOT_FOUND");
    await appErrorOf(deleteSavedPrompt(handle.db, author, mine.id), "NOT_FOUND");

    const theirs = await createSavedPrompt(handle.db, other, { name: "theirs", data });
    await deleteSavedPrompt(handle.db, admin, theirs.id);
    await appErrorOf(getSavedPrompt(handle.db, theirs.id), "NOT_FOUND");
  });
});
