// The jobs list of GET /v1/fine_tuning/jobs: newest first, paged with an `after` cursor that holds
// for jobs created in the same millisecond (created_at has microseconds, a JS Date does not).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "@/db/test-db";
import { jobs } from "@/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import { appErrorOf } from "@/lib/testing/app-error";
import { listFineTuningJobs } from "./jobs";
import { FINE_TUNING_JOB_KIND, defaultHyperparameters } from "./schemas";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await openTestDatabase();
}, 180_000);
afterAll(async () => {
  await handle?.close();
});

const payload = {
  baseModel: "kindling-starter",
  datasetId: "ds-0123456789abcdef01234567",
  validation: { kind: "none" },
  method: "full",
  hyperparameters: defaultHyperparameters("full"),
  suffix: "",
  fineTunedModel: "ft-x",
  backend: "local",
};

describe(`listFineTuningJobs pages on ${process.env.KINDLING_TEST_DB}`, () => {
  it("lists newest first and pages after an id, also within one millisecond", async () => {
    const ids = ["ftjob-page-a", "ftjob-page-b", "ftjob-page-c", "ftjob-page-d"];
    for (const id of ids) await enqueueJob(handle.db, { id, kind: FINE_TUNING_JOB_KIND, payload });
    // b and c 300 µs apart in the same millisecond, a and d well apart.
    await handle.db.execute(sql`update ${jobs} set created_at = case id
      when 'ftjob-page-a' then timestamptz '2026-01-01 00:00:00.000100+00'
      when 'ftjob-page-b' then timestamptz '2026-01-01 00:00:01.000100+00'
      when 'ftjob-page-c' then timestamptz '2026-01-01 00:00:01.000400+00'
      when 'ftjob-page-d' then timestamptz '2026-01-01 00:00:02.000000+00' end
      where id in ('ftjob-page-a', 'ftjob-page-b', 'ftjob-page-c', 'ftjob-page-d')`);
    const page = async (after?: string) => (await listFineTuningJobs(handle.db, { limit: 2, after })).map((j) => j.id);
    expect(await page()).toEqual(["ftjob-page-d", "ftjob-page-c"]);
    expect(await page("ftjob-page-c")).toEqual(["ftjob-page-b", "ftjob-page-a"]);
    expect(await page("ftjob-page-b")).toEqual(["ftjob-page-a"]);
    expect(await page("ftjob-page-a")).toEqual([]);
    const e = await appErrorOf(listFineTuningJobs(handle.db, { after: "ftjob-nope" }));
    expect(e).toMatchObject({ code: "VALIDATION", fieldErrors: { after: ["no such job"] } });
  });
});
