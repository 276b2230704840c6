CREATE TABLE "deployment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" text,
	"deployment_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"replica_id" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "deployment_replicas" (
	"id" text PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"generation" integer NOT NULL,
	"state" text NOT NULL,
	"pid" integer,
	"port" integer,
	"restarts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ready_at" timestamp with time zone,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deployment_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"interval_s" double precision NOT NULL,
	"ready_replicas" integer NOT NULL,
	"desired_replicas" integer NOT NULL,
	"concurrency" double precision NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"ttft_buckets" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"model_id" text NOT NULL,
	"adapters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"engine" jsonb NOT NULL,
	"min_replicas" integer NOT NULL,
	"max_replicas" integer NOT NULL,
	"target_concurrency" real NOT NULL,
	"scale_up_window_s" integer NOT NULL,
	"scale_down_window_s" integer NOT NULL,
	"scale_to_zero_after_s" integer,
	"failover_model_id" text,
	"status" text DEFAULT 'running' NOT NULL,
	"desired_replicas" integer NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"last_request_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployments_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_replicas" ADD CONSTRAINT "deployment_replicas_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_samples" ADD CONSTRAINT "deployment_samples_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_failover_model_id_models_id_fk" FOREIGN KEY ("failover_model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_events_deployment_idx" ON "deployment_events" USING btree ("deployment_id","id");--> statement-breakpoint
CREATE INDEX "deployment_replicas_deployment_idx" ON "deployment_replicas" USING btree ("deployment_id","state");--> statement-breakpoint
CREATE INDEX "deployment_samples_deployment_at_idx" ON "deployment_samples" USING btree ("deployment_id","at");