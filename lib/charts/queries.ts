// Chart reads. Everything comes from usage_rollups (never raw usage rows), except the list of
// requests behind one point, which reads at most a page of raw rows inside one bucket.
import "server-only";
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { usageEvents, usageRollups, type RollupGrain } from "@/db/schema";
import { alignRange, GRAIN_MS, grainFor } from "./grain";
import type { UsageFilters } from "./schemas";
import { rowsOf } from "@/db/rows";

/** What a set of requests adds up to: per bucket and model here, per model and overall on the page. */
export interface UsageTotals {
  requests: number;
  errors: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageBucketRow extends UsageTotals {
  bucket: string;
  modelName: string;
  ttftCount: number;
  ttftSumMs: number;
  genTokens: number;
  genMs: number;
  /** Sparse histogram: [bin, count] pairs. */
  ttft: [number, number][];
}

export interface UsageSeriesData {
  grain: RollupGrain;
  from: string;
  to: string;
  rows: UsageBucketRow[];
}

function filterSql(f: UsageFilters): SQL[] {
  const out: SQL[] = [];
  const add = (col: string, values: string[]) => {
    if (values.length) out.push(sql`${sql.raw(col)} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`);
  };
  add("model_name", f.model);
  add("provider_name", f.provider);
  add("deployment", f.deployment);
  add("user_id", f.user);
  add("api_key_id", f.apiKey);
  add("source", f.source);
  return out;
}

/** A bucket row's model and summed measures, from a raw result row (numbers may arrive as strings). */
function measuresOf(r: Record<string, unknown>): Omit<UsageBucketRow, "bucket" | "ttft"> {
  return {
    modelName: String(r.model_name),
    requests: Number(r.requests),
    errors: Number(r.errors),
    costUsd: Number(r.cost_usd),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    ttftCount: Number(r.ttft_count),
    ttftSumMs: Number(r.ttft_sum_ms),
    genTokens: Number(r.gen_tokens),
    genMs: Number(r.gen_ms),
  };
}

/**
 * Usage per bucket and model over [from, to), widened to whole buckets of the chosen grain. Hours and
 * days filtered by model alone (or not at all) read usage_rollups_by_model: one row per bucket and model.
 */
export async function getUsageSeries(db: Tx, range: { from: Date; to: Date }, filters: UsageFilters, grain = grainFor(range.from, range.to)): Promise<UsageSeriesData> {
  const aligned = alignRange(range.from, range.to, grain);
  const modelOnly = grain !== "minute" && (["provider", "deployment", "user", "apiKey", "source"] as const).every((k) => filters[k].length === 0);
  if (modelOnly) return getByModelSeries(db, grain, aligned, filters.model);
  const where = sql.join(
    [sql`grain = ${grain}`, sql`bucket_start >= ${aligned.from.toISOString()}::timestamptz`, sql`bucket_start < ${aligned.to.toISOString()}::timestamptz`, ...filterSql(filters)],
    sql` and `,
  );
  const totals = rowsOf<Record<string, string | number | Date>>(
    await db.execute(sql`
      select bucket_start, model_name, sum(requests) as requests, coalesce(sum(requests) filter (where status = 'error'), 0) as errors,
        sum(cost_usd) as cost_usd, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
        sum(ttft_count) as ttft_count, sum(ttft_sum_ms) as ttft_sum_ms, sum(gen_tokens) as gen_tokens, sum(gen_ms) as gen_ms
      from usage_rollups where ${where}
      group by bucket_start, model_name order by bucket_start, model_name`),
  );
  const hist = rowsOf<{ bucket_start: string | Date; model_name: string; bin: number; cnt: string | number }>(
    await db.execute(sql`
      select bucket_start, model_name, u.bin, sum(u.cnt) as cnt
      from usage_rollups, unnest(ttft_bins, ttft_counts) as u(bin, cnt)
      where ${where} group by bucket_start, model_name, u.bin`),
  );
  const iso = (v: string | Date) => new Date(v).toISOString();
  const byKey = new Map<string, [number, number][]>();
  for (const h of hist) {
    const key = `${iso(h.bucket_start)}|${h.model_name}`;
    const list = byKey.get(key) ?? [];
    list.push([Number(h.bin), Number(h.cnt)]);
    byKey.set(key, list);
  }
  return {
    grain,
    from: aligned.from.toISOString(),
    to: aligned.to.toISOString(),
    rows: totals.map((r) => {
      const bucket = iso(r.bucket_start as string);
      return {
        ...measuresOf(r),
        bucket,
        ttft: byKey.get(`${bucket}|${r.model_name}`) ?? [],
      };
    }),
  };
}

async function getByModelSeries(db: Tx, grain: RollupGrain, aligned: { from: Date; to: Date }, modelNames: string[]): Promise<UsageSeriesData> {
  const rows = rowsOf<Record<string, string | number | Date | number[] | string[]>>(
    await db.execute(sql`
      select bucket_start, model_name, requests, errors, cost_usd, input_tokens, output_tokens, ttft_count, ttft_sum_ms, gen_tokens, gen_ms,
        ttft_bins, ttft_counts
      from usage_rollups_by_model
      where grain = ${grain} and bucket_start >= ${aligned.from.toISOString()}::timestamptz and bucket_start < ${aligned.to.toISOString()}::timestamptz
        ${modelNames.length ? sql`and model_name in (${sql.join(modelNames.map((v) => sql`${v}`), sql`, `)})` : sql``}
      order by bucket_start, model_name`),
  );
  return {
    grain,
    from: aligned.from.toISOString(),
    to: aligned.to.toISOString(),
    rows: rows.map((r) => {
      const bins = r.ttft_bins as number[];
      const counts = r.ttft_counts as (number | string)[];
      return {
        ...measuresOf(r),
        bucket: new Date(r.bucket_start as string).toISOString(),
        ttft: bins.map((b, i) => [Number(b), Number(counts[i])] as [number, number]),
      };
    }),
  };
}

/** The values each filter can take in a window, for the filter menus. */
export async function getFilterOptions(db: Tx, range: { from: Date; to: Date }): Promise<Record<keyof UsageFilters, string[]>> {
  const grain = grainFor(range.from, range.to);
  const aligned = alignRange(range.from, range.to, grain);
  const distinct = async (col: keyof typeof usageRollups._.columns) => {
    const c = usageRollups[col] as typeof usageRollups.modelName;
    const rows = await db
      .selectDistinct({ v: c })
      .from(usageRollups)
      .where(and(eq(usageRollups.grain, grain), gte(usageRollups.bucketStart, aligned.from), lt(usageRollups.bucketStart, aligned.to)))
      .orderBy(c)
      .limit(200);
    return rows.map((r) => r.v).filter(Boolean);
  };
  const [model, provider, deployment, user, apiKey, source] = await Promise.all([
    distinct("modelName"),
    distinct("providerName"),
    distinct("deployment"),
    distinct("userId"),
    distinct("apiKeyId"),
    distinct("source"),
  ]);
  return { model, provider, deployment, user, apiKey, source };
}

/** The raw requests behind one chart point: one bucket, optionally one model. */
export async function listRequestsInBucket(db: Tx, input: { bucket: Date; grain: RollupGrain; modelName?: string; status?: string; filters: UsageFilters; limit?: number }) {
  const end = new Date(input.bucket.getTime() + GRAIN_MS[input.grain]);
  const f = input.filters;
  const conds: (SQL | undefined)[] = [
    gte(usageEvents.at, input.bucket),
    lt(usageEvents.at, end),
    input.modelName ? eq(usageEvents.modelName, input.modelName) : undefined,
    input.status ? eq(usageEvents.status, input.status as "ok") : undefined,
    f.model.length ? sql`${usageEvents.modelName} in (${sql.join(f.model.map((v) => sql`${v}`), sql`, `)})` : undefined,
    f.provider.length ? sql`${usageEvents.providerName} in (${sql.join(f.provider.map((v) => sql`${v}`), sql`, `)})` : undefined,
    f.deployment.length ? sql`${usageEvents.deployment} in (${sql.join(f.deployment.map((v) => sql`${v}`), sql`, `)})` : undefined,
    f.apiKey.length ? sql`${usageEvents.apiKeyId} in (${sql.join(f.apiKey.map((v) => sql`${v}`), sql`, `)})` : undefined,
    f.user.length ? sql`${usageEvents.userId} in (${sql.join(f.user.map((v) => sql`${v}`), sql`, `)})` : undefined,
    f.source.length ? sql`${usageEvents.source} in (${sql.join(f.source.map((v) => sql`${v}`), sql`, `)})` : undefined,
  ];
  return db
    .select({
      id: usageEvents.id,
      requestId: usageEvents.requestId,
      at: usageEvents.at,
      source: usageEvents.source,
      providerName: usageEvents.providerName,
      deployment: usageEvents.deployment,
      modelName: usageEvents.modelName,
      inputTokens: usageEvents.inputTokens,
      outputTokens: usageEvents.outputTokens,
      ttftMs: usageEvents.ttftMs,
      totalMs: usageEvents.totalMs,
      costUsd: usageEvents.costUsd,
      status: usageEvents.status,
      errorCode: usageEvents.errorCode,
    })
    .from(usageEvents)
    .where(and(...conds))
    .orderBy(desc(usageEvents.at))
    .limit(Math.min(input.limit ?? 100, 500));
}
