CREATE TABLE "warning_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"yellow_threshold" numeric(12, 4) NOT NULL,
	"red_threshold" numeric(12, 4),
	"description_zh" text NOT NULL,
	"description_en" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warning_rules_key_check" CHECK ("warning_rules"."key" in ('not_started', 'behind_schedule', 'missing_reports', 'overdue_issue')),
	CONSTRAINT "warning_rules_thresholds_check" CHECK ("warning_rules"."yellow_threshold" >= 0 and ("warning_rules"."red_threshold" is null or "warning_rules"."red_threshold" > "warning_rules"."yellow_threshold"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "warning_rules_key_key" ON "warning_rules" USING btree ("key");