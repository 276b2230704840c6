CREATE TABLE "usage_rollup_state" (
	"id" integer NOT NULL,
	"watermark" bigint DEFAULT 0 NOT NULL,
	"gaps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_rollup_state_id_pk" PRIMARY KEY("id")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"grain" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"model_name" text NOT NULL,
	"provider_name" text NOT NULL,
	"deployment" text DEFAULT '' NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"api_key_id" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"requests" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_usd" numeric(24, 10) NOT NULL,
	"ttft_count" bigint NOT NULL,
	"ttft_sum_ms" double precision NOT NULL,
	"ttft_bins" smallint[] NOT NULL,
	"ttft_counts" bigint[] NOT NULL,
	"gen_tokens" bigint NOT NULL,
	"gen_ms" double precision NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "usage_rollups_key" ON "usage_rollups" USING btree ("grain","bucket_start","model_name","provider_name","deployment","user_id","api_key_id","source","status");