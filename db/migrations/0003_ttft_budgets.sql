CREATE TABLE "ttft_budgets" (
	"model_name" text PRIMARY KEY NOT NULL,
	"budget_ms" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ttft_budgets" ADD CONSTRAINT "ttft_budgets_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;