CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"csv_mapping" jsonb,
	"content_sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"validation_percent" integer NOT NULL,
	"examples" integer NOT NULL,
	"train_examples" integer NOT NULL,
	"validation_examples" integer NOT NULL,
	"tokens" bigint NOT NULL,
	"max_example_tokens" integer NOT NULL,
	"stats" jsonb NOT NULL,
	"preview" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fine_tuning_checkpoints" (
	"job_id" text NOT NULL,
	"step" integer NOT NULL,
	"train_loss" double precision NOT NULL,
	"val_loss" double precision,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fine_tuning_checkpoints_job_id_step_pk" PRIMARY KEY("job_id","step")
);
--> statement-breakpoint
CREATE TABLE "fine_tuning_metrics" (
	"job_id" text NOT NULL,
	"step" integer NOT NULL,
	"epoch" double precision NOT NULL,
	"train_loss" double precision NOT NULL,
	"val_loss" double precision,
	"learning_rate" double precision NOT NULL,
	"tokens" bigint NOT NULL,
	"tokens_per_second" double precision NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fine_tuning_metrics_job_id_step_pk" PRIMARY KEY("job_id","step")
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_checkpoints" ADD CONSTRAINT "fine_tuning_checkpoints_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fine_tuning_metrics" ADD CONSTRAINT "fine_tuning_metrics_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "datasets_created_idx" ON "datasets" USING btree ("created_at");