CREATE TABLE "ttft_budgets" (
	"model_name" text PRIMARY KEY NOT NULL,
	"budget_ms" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eval_cases" (
	"suite_id" text NOT NULL,
	"idx" integer NOT NULL,
	"messages" jsonb NOT NULL,
	"expected" text NOT NULL,
	CONSTRAINT "eval_cases_suite_id_idx_pk" PRIMARY KEY("suite_id","idx")
);
--> statement-breakpoint
CREATE TABLE "eval_results" (
	"run_id" text NOT NULL,
	"model_id" text NOT NULL,
	"model_name" text NOT NULL,
	"case_idx" integer NOT NULL,
	"output" text DEFAULT '' NOT NULL,
	"grades" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"score" double precision NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"ttft_ms" double precision,
	"total_ms" double precision,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" numeric(18, 10),
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "eval_results_run_id_model_id_case_idx_pk" PRIMARY KEY("run_id","model_id","case_idx")
);
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"suite_id" text NOT NULL,
	"models" jsonb NOT NULL,
	"graders" jsonb NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"concurrency" integer DEFAULT 2 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer NOT NULL,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "eval_suites" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"graders" jsonb NOT NULL,
	"case_count" integer NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "eval_suites_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "ttft_budgets" ADD CONSTRAINT "ttft_budgets_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_cases" ADD CONSTRAINT "eval_cases_suite_id_eval_suites_id_fk" FOREIGN KEY ("suite_id") REFERENCES "public"."eval_suites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_results" ADD CONSTRAINT "eval_results_run_id_eval_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."eval_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_suite_id_eval_suites_id_fk" FOREIGN KEY ("suite_id") REFERENCES "public"."eval_suites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_suites" ADD CONSTRAINT "eval_suites_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "eval_runs_status_idx" ON "eval_runs" USING btree ("status");