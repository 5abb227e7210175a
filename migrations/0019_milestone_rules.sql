ALTER TABLE "warning_rules" DROP CONSTRAINT "warning_rules_key_check";--> statement-breakpoint
ALTER TABLE "warning_rules" ADD COLUMN "schedule" text DEFAULT 'elapsed_time' NOT NULL;--> statement-breakpoint
ALTER TABLE "warning_rules" ADD CONSTRAINT "warning_rules_schedule_check" CHECK ("warning_rules"."schedule" in ('elapsed_time', 'milestones'));--> statement-breakpoint
ALTER TABLE "warning_rules" ADD CONSTRAINT "warning_rules_key_check" CHECK ("warning_rules"."key" in ('not_started', 'behind_schedule', 'missing_reports', 'overdue_issue', 'milestone_overdue'));--> statement-breakpoint
-- The rule's new column joins its history (the trigger function spells out the columns).
SELECT history.enable('warning_rules', 'r.created_at');
