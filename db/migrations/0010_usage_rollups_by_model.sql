CREATE TABLE "usage_rollups_by_model" (
	"grain" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"model_name" text NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_usd" numeric(24, 10) NOT NULL,
	"ttft_count" bigint NOT NULL,
	"ttft_sum_ms" double precision NOT NULL,
	"ttft_bins" smallint[] NOT NULL,
	"ttft_counts" bigint[] NOT NULL,
	"gen_tokens" bigint NOT NULL,
	"gen_ms" double precision NOT NULL,
	CONSTRAINT "usage_rollups_by_model_grain_bucket_start_model_name_pk" PRIMARY KEY("grain","bucket_start","model_name")
);
--> statement-breakpoint
-- Backfill from the hour and day rollups already stored (the rollup pass keeps it current from here).
INSERT INTO "usage_rollups_by_model" ("grain", "bucket_start", "model_name", "requests", "errors", "input_tokens", "output_tokens", "cost_usd",
  "ttft_count", "ttft_sum_ms", "ttft_bins", "ttft_counts", "gen_tokens", "gen_ms")
WITH src AS (SELECT * FROM "usage_rollups" WHERE "grain" IN ('hour', 'day')),
agg AS (
  SELECT grain, bucket_start, model_name, sum(requests) AS requests, coalesce(sum(requests) FILTER (WHERE status = 'error'), 0) AS errors,
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
    sum(ttft_count) AS ttft_count, sum(ttft_sum_ms) AS ttft_sum_ms, sum(gen_tokens) AS gen_tokens, sum(gen_ms) AS gen_ms
  FROM src GROUP BY grain, bucket_start, model_name
),
hb AS (
  SELECT grain, bucket_start, model_name, u.bin, sum(u.cnt)::bigint AS cnt
  FROM src, unnest(src.ttft_bins, src.ttft_counts) AS u(bin, cnt) GROUP BY grain, bucket_start, model_name, u.bin
),
h AS (SELECT grain, bucket_start, model_name, array_agg(bin ORDER BY bin) AS bins, array_agg(cnt ORDER BY bin) AS counts FROM hb GROUP BY grain, bucket_start, model_name)
SELECT agg.grain, agg.bucket_start, agg.model_name, agg.requests, agg.errors, agg.input_tokens, agg.output_tokens, agg.cost_usd,
  agg.ttft_count, agg.ttft_sum_ms, coalesce(h.bins, '{}'::smallint[]), coalesce(h.counts, '{}'::bigint[]), agg.gen_tokens, agg.gen_ms
FROM agg LEFT JOIN h USING (grain, bucket_start, model_name);
