import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { models, providers, user } from "@/db/schema";
import { changeModelPrice, updateModel } from "@/lib/models/models";
import { addPrice } from "@/lib/models/prices";
import { resolveModelTarget } from "./resolve";

let handle: TestDatabase;
let actor: { id: string; email: string; role: "admin" };

beforeAll(async () => {
  handle = await openTestDatabase();
  const [admin] = await handle.db
    .insert(user)
    .values({ id: "u-cache", name: "Admin", email: "cache-admin@example.test", role: "admin" })
    .returning();
  actor = { id: admin.id, email: admin.email, role: "admin" };
  await handle.db.insert(providers).values({ id: "p-cache", name: "Cached remote", kind: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" });
  await handle.db.insert(models).values({ id: "m-cache", providerId: "p-cache", name: "remote-model" });
  await addPrice(handle.db, { modelId: "m-cache", inputPerMillion: 1, outputPerMillion: 2, createdBy: null });
});
afterAll(async () => {
  await handle?.close();
});

describe(`resolved model targets on ${process.env.KINDLING_TEST_DB}`, () => {
  it("a price change or a disabled model shows on the very next call, despite the cache", async () => {
    const first = await resolveModelTarget(handle.db, "m-cache");
    expect(first.price).toMatchObject({ inputPerMillion: 1, outputPerMillion: 2 });
    expect((await resolveModelTarget(handle.db, "m-cache")).price?.id).toBe(first.price!.id);

    await changeModelPrice(handle, actor, { modelId: "m-cache", inputPerMillion: 3, outputPerMillion: 4 }, null);
    const second = await resolveModelTarget(handle.db, "m-cache");
    expect(second.price).toMatchObject({ inputPerMillion: 3, outputPerMillion: 4 });
    expect(second.price!.id).not.toBe(first.price!.id);

    await updateModel(handle, actor, { id: "m-cache", enabled: false }, null);
    await expect(resolveModelTarget(handle.db, "m-cache")).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
