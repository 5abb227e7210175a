CREATE TABLE "assessment_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"points" numeric(8, 2) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_rules_key_check" CHECK ("assessment_rules"."key" in ('reports_on_time', 'reports_returned', 'issues_resolved_on_time', 'overdue_orders', 'milestones_on_time')),
	CONSTRAINT "assessment_rules_points_check" CHECK ("assessment_rules"."points" >= 0 and "assessment_rules"."points" <= 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_rules_key_key" ON "assessment_rules" USING btree ("key");--> statement-breakpoint
-- The assessment is a figure asked with knownAt: its rules are versioned.
SELECT history.enable('assessment_rules', 'r.created_at');
