// Rolls usage_events into minute, hour and day buckets. One pass reads rows above the watermark (and
// any late rows inside remembered id gaps), then rebuilds every bucket those rows touch from scratch
// in the same transaction as the watermark moves: a bucket rebuilt twice is the same bucket, so a
// crash or restart neither loses nor double-counts, and rows with an old timestamp are counted.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import type { RollupGrain } from "@/db/schema";
import { advanceWatermark, type IdGap } from "./rollup-watermark";
import { ttftBinSql } from "./ttft-histogram";
import { rowsOf } from "@/db/rows";

const STEP_MS: Record<RollupGrain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const INTERVAL: Record<RollupGrain, string> = { minute: "1 minute", hour: "1 hour", day: "24 hours" };

/** Buckets are UTC: the start of the minute/hour/day an instant falls in. */
export function bucketStart(at: Date, grain: RollupGrain): Date {
  const step = STEP_MS[grain];
  return new Date(Math.floor(at.getTime() / step) * step);
}

const DIMS = sql.raw("model_name, provider_name, deployment, user_id, api_key_id, source, status");

function startsArray(starts: Date[]): SQL {
  return sql`array[${sql.join(
    starts.map((d) => sql`${d.toISOString()}`),
    sql`, `,
  )}]::timestamptz[]`;
}

async function rebuildMinutes(tx: Tx, starts: Date[]): Promise<void> {
  const arr = startsArray(starts);
  await tx.execute(sql`delete from usage_rollups where grain = 'minute' and bucket_start = any(${arr})`);
  await tx.execute(sql`
    with b as (select unnest(${arr}) as start),
    e as (
      select b.start as bucket, e.model_name, e.provider_name, coalesce(e.deployment, '') as deployment, coalesce(e.user_id, '') as user_id,
        coalesce(e.api_key_id, '') as api_key_id, e.source, e.status, e.input_tokens, e.output_tokens, e.cost_usd, e.ttft_ms, e.total_ms,
        ${sql.raw(ttftBinSql("e.ttft_ms"))} as bin
      from b join usage_events e on e.at >= b.start and e.at < b.start + interval '1 minute'
    ),
    agg as (
      select bucket, ${DIMS}, count(*) as requests,
        coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
        coalesce(sum(cost_usd), 0) as cost_usd, count(ttft_ms) as ttft_count, coalesce(sum(ttft_ms), 0) as ttft_sum_ms,
        coalesce(sum(output_tokens - 1) filter (where output_tokens > 1 and total_ms > ttft_ms), 0) as gen_tokens,
        coalesce(sum(total_ms - ttft_ms) filter (where output_tokens > 1 and total_ms > ttft_ms), 0) as gen_ms
      from e group by bucket, ${DIMS}
    ),
    hb as (select bucket, ${DIMS}, bin, count(*) as cnt from e where ttft_ms is not null group by bucket, ${DIMS}, bin),
    h as (select bucket, ${DIMS}, array_agg(bin order by bin) as bins, array_agg(cnt order by bin) as counts from hb group by bucket, ${DIMS})
    insert into usage_rollups (grain, bucket_start, ${DIMS}, requests, input_tokens, output_tokens, cost_usd,
      ttft_count, ttft_sum_ms, ttft_bins, ttft_counts, gen_tokens, gen_ms)
    select 'minute', agg.bucket, agg.model_name, agg.provider_name, agg.deployment, agg.user_id, agg.api_key_id, agg.source, agg.status,
      agg.requests, agg.input_tokens, agg.output_tokens, agg.cost_usd, agg.ttft_count, agg.ttft_sum_ms,
      coalesce(h.bins, '{}'::smallint[]), coalesce(h.counts, '{}'::bigint[]), agg.gen_tokens, agg.gen_ms
    from agg left join h using (bucket, model_name, provider_name, deployment, user_id, api_key_id, source, status)
  `);
}

/** Rebuilds hour buckets from minute rows, or day buckets from hour rows. */
async function rebuildFrom(tx: Tx, grain: "hour" | "day", from: RollupGrain, starts: Date[]): Promise<void> {
  const arr = startsArray(starts);
  await tx.execute(sql`delete from usage_rollups where grain = ${grain} and bucket_start = any(${arr})`);
  await tx.execute(sql`
    with b as (select unnest(${arr}) as start),
    src as (
      select b.start as bucket, r.* from b join usage_rollups r
        on r.grain = ${from} and r.bucket_start >= b.start and r.bucket_start < b.start + ${sql.raw(`interval '${INTERVAL[grain]}'`)}
    ),
    agg as (
      select bucket, ${DIMS}, sum(requests) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
        sum(cost_usd) as cost_usd, sum(ttft_count) as ttft_count, sum(ttft_sum_ms) as ttft_sum_ms,
        sum(gen_tokens) as gen_tokens, sum(gen_ms) as gen_ms
      from src group by bucket, ${DIMS}
    ),
    hb as (
      select bucket, ${DIMS}, u.bin, sum(u.cnt)::bigint as cnt
      from src, unnest(src.ttft_bins, src.ttft_counts) as u(bin, cnt) group by bucket, ${DIMS}, u.bin
    ),
    h as (select bucket, ${DIMS}, array_agg(bin order by bin) as bins, array_agg(cnt order by bin) as counts from hb group by bucket, ${DIMS})
    insert into usage_rollups (grain, bucket_start, ${DIMS}, requests, input_tokens, output_tokens, cost_usd,
      ttft_count, ttft_sum_ms, ttft_bins, ttft_counts, gen_tokens, gen_ms)
    select ${grain}, agg.bucket, agg.model_name, agg.provider_name, agg.deployment, agg.user_id, agg.api_key_id, agg.source, agg.status,
      agg.requests, agg.input_tokens, agg.output_tokens, agg.cost_usd, agg.ttft_count, agg.ttft_sum_ms,
      coalesce(h.bins, '{}'::smallint[]), coalesce(h.counts, '{}'::bigint[]), agg.gen_tokens, agg.gen_ms
    from agg left join h using (bucket, model_name, provider_name, deployment, user_id, api_key_id, source, status)
  `);
}

/** Rebuilds the per-model rows of hour or day buckets from usage_rollups of the same grain. */
async function rebuildByModel(tx: Tx, grain: "hour" | "day", starts: Date[]): Promise<void> {
  const arr = startsArray(starts);
  await tx.execute(sql`delete from usage_rollups_by_model where grain = ${grain} and bucket_start = any(${arr})`);
  await tx.execute(sql`
    with src as (select * from usage_rollups where grain = ${grain} and bucket_start = any(${arr})),
    agg as (
      select bucket_start, model_name, sum(requests) as requests, coalesce(sum(requests) filter (where status = 'error'), 0) as errors,
        sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, sum(cost_usd) as cost_usd,
        sum(ttft_count) as ttft_count, sum(ttft_sum_ms) as ttft_sum_ms, sum(gen_tokens) as gen_tokens, sum(gen_ms) as gen_ms
      from src group by bucket_start, model_name
    ),
    hb as (
      select bucket_start, model_name, u.bin, sum(u.cnt)::bigint as cnt
      from src, unnest(src.ttft_bins, src.ttft_counts) as u(bin, cnt) group by bucket_start, model_name, u.bin
    ),
    h as (select bucket_start, model_name, array_agg(bin order by bin) as bins, array_agg(cnt order by bin) as counts from hb group by bucket_start, model_name)
    insert into usage_rollups_by_model (grain, bucket_start, model_name, requests, errors, input_tokens, output_tokens, cost_usd,
      ttft_count, ttft_sum_ms, ttft_bins, ttft_counts, gen_tokens, gen_ms)
    select ${grain}, agg.bucket_start, agg.model_name, agg.requests, agg.errors, agg.input_tokens, agg.output_tokens, agg.cost_usd,
      agg.ttft_count, agg.ttft_sum_ms, coalesce(h.bins, '{}'::smallint[]), coalesce(h.counts, '{}'::bigint[]), agg.gen_tokens, agg.gen_ms
    from agg left join h using (bucket_start, model_name)
  `);
}

export interface RollupPass {
  /** Rows read in this pass (new ones plus late ones found in gaps). */
  rows: number;
  watermark: number;
}

/** One pass over at most `batch` new rows. Returns how many rows it rolled up (0 when caught up). */
export async function rollUpUsage(db: Db, options: { batch?: number; now?: Date } = {}): Promise<RollupPass> {
  const batch = options.batch ?? 20_000;
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into usage_rollup_state (id) values (1) on conflict do nothing`);
    const [state] = rowsOf<{ watermark: string | number; gaps: IdGap[] }>(
      await tx.execute(sql`select watermark, gaps from usage_rollup_state where id = 1 for update`),
    );
    const watermark = Number(state.watermark);
    const gaps = state.gaps ?? [];
    const fresh = rowsOf<{ id: string | number; at: string | Date }>(
      await tx.execute(sql`select id, at from usage_events where id > ${watermark} order by id limit ${batch}`),
    );
    const late = gaps.length
      ? rowsOf<{ id: string | number; at: string | Date }>(
          await tx.execute(
            sql`select id, at from usage_events where ${sql.join(
              gaps.map((g) => sql`(id between ${g.from} and ${g.to})`),
              sql` or `,
            )}`,
          ),
        )
      : [];
    const next = advanceWatermark(
      watermark,
      gaps,
      fresh.map((r) => Number(r.id)),
      late.map((r) => Number(r.id)),
      options.now ?? new Date(),
    );
    const touched = [...fresh, ...late].map((r) => new Date(r.at));
    if (touched.length) {
      const distinct = (grain: RollupGrain) => [...new Set(touched.map((d) => bucketStart(d, grain).getTime()))].map((t) => new Date(t));
      await rebuildMinutes(tx, distinct("minute"));
      await rebuildFrom(tx, "hour", "minute", distinct("hour"));
      await rebuildFrom(tx, "day", "hour", distinct("day"));
      await rebuildByModel(tx, "hour", distinct("hour"));
      await rebuildByModel(tx, "day", distinct("day"));
    }
    await tx.execute(
      sql`update usage_rollup_state set watermark = ${next.watermark}, gaps = ${JSON.stringify(next.gaps)}::jsonb, updated_at = now() where id = 1`,
    );
    return { rows: touched.length, watermark: next.watermark };
  });
}

/** Runs passes until no new rows are left; returns the rows rolled up. */
export async function catchUpRollups(db: Db, options: { batch?: number } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const pass = await rollUpUsage(db, options);
    total += pass.rows;
    if (pass.rows < (options.batch ?? 20_000)) return total;
  }
}
