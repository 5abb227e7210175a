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
CREATE TABLE "supervision_escalation_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"from_level" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"overdue_days" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_escalation_rules_level_check" CHECK ("supervision_escalation_rules"."from_level" between 1 and 2),
	CONSTRAINT "supervision_escalation_rules_days_check" CHECK ("supervision_escalation_rules"."overdue_days" between 1 and 365)
);
--> statement-breakpoint
CREATE TABLE "supervision_order_steps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"step_on" date NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"from_level" integer,
	"to_level" integer NOT NULL,
	"note" text,
	"reply_due_date" date,
	"actor" text NOT NULL,
	"on_behalf_of" text,
	"order_version" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_order_steps_kind_check" CHECK ("supervision_order_steps"."kind" in ('issue', 'reply_plan', 'report_progress', 'accept', 'send_back', 'escalate', 'withdraw'))
);
--> statement-breakpoint
CREATE TABLE "supervision_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"issue_id" uuid,
	"milestone_id" uuid,
	"department_id" uuid NOT NULL,
	"issuer_leader_id" uuid,
	"title" text NOT NULL,
	"requirement" text NOT NULL,
	"level" integer NOT NULL,
	"status" text DEFAULT 'issued' NOT NULL,
	"issued_on" date NOT NULL,
	"reply_due_date" date NOT NULL,
	"status_date" date NOT NULL,
	"escalation_count" integer DEFAULT 0 NOT NULL,
	"last_escalated_on" date,
	"fix_plan" text,
	"progress" text,
	"closed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_orders_level_check" CHECK ("supervision_orders"."level" between 1 and 3),
	CONSTRAINT "supervision_orders_status_check" CHECK ("supervision_orders"."status" in ('issued', 'planned', 'in_progress', 'returned', 'closed', 'withdrawn')),
	CONSTRAINT "supervision_orders_subject_check" CHECK ("supervision_orders"."subject_type" in ('project', 'issue', 'milestone')),
	CONSTRAINT "supervision_orders_due_check" CHECK ("supervision_orders"."reply_due_date" >= "supervision_orders"."issued_on"),
	CONSTRAINT "supervision_orders_closed_check" CHECK (("supervision_orders"."status" = 'closed') = ("supervision_orders"."closed_on" is not null))
);
--> statement-breakpoint
ALTER TABLE "project_issues" DROP CONSTRAINT "project_issues_category_check";--> statement-breakpoint
ALTER TABLE "webhook_events" DROP CONSTRAINT "webhook_events_type_check";--> statement-breakpoint
ALTER TABLE "supervision_order_steps" ADD CONSTRAINT "supervision_order_steps_order_id_supervision_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."supervision_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_issue_id_project_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."project_issues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_milestone_id_project_milestones_id_fk" FOREIGN KEY ("milestone_id") REFERENCES "public"."project_milestones"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_issuer_leader_id_leaders_id_fk" FOREIGN KEY ("issuer_leader_id") REFERENCES "public"."leaders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_rules_key_key" ON "assessment_rules" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "supervision_escalation_rules_level_key" ON "supervision_escalation_rules" USING btree ("from_level");--> statement-breakpoint
CREATE INDEX "supervision_order_steps_order_idx" ON "supervision_order_steps" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "supervision_order_steps_escalation_key" ON "supervision_order_steps" USING btree ("order_id","to_level") WHERE "supervision_order_steps"."kind" = 'escalate';--> statement-breakpoint
CREATE INDEX "supervision_orders_department_idx" ON "supervision_orders" USING btree ("department_id","status");--> statement-breakpoint
CREATE INDEX "supervision_orders_project_idx" ON "supervision_orders" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_issue_idx" ON "supervision_orders" USING btree ("issue_id") WHERE "supervision_orders"."issue_id" is not null;--> statement-breakpoint
CREATE INDEX "supervision_orders_milestone_idx" ON "supervision_orders" USING btree ("milestone_id") WHERE "supervision_orders"."milestone_id" is not null;--> statement-breakpoint
CREATE INDEX "supervision_orders_leader_idx" ON "supervision_orders" USING btree ("issuer_leader_id") WHERE "supervision_orders"."issuer_leader_id" is not null;--> statement-breakpoint
CREATE INDEX "supervision_orders_waiting_idx" ON "supervision_orders" USING btree ("reply_due_date") WHERE "supervision_orders"."status" in ('issued', 'returned');--> statement-breakpoint
ALTER TABLE "project_issues" ADD CONSTRAINT "project_issues_category_check" CHECK ("project_issues"."category" in ('land', 'approval', 'power', 'water', 'financing', 'epidemic', 'other', 'energy', 'environment', 'labour', 'gas', 'demolition', 'planning'));--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_type_check" CHECK ("webhook_events"."type" in ('project.status_changed', 'report.submitted', 'report.late', 'report.approved', 'report.returned', 'issue.opened', 'issue.resolved', 'warning.light_changed', 'supervision.issued', 'supervision.escalated', 'supervision.sent_back', 'supervision.closed'));--> statement-breakpoint
-- Orders, their steps and the escalation rules feed the department assessment, a figure asked with
-- knownAt, as do the assessment rules: all versioned.
SELECT history.enable('supervision_orders', 'r.created_at');--> statement-breakpoint
SELECT history.enable('supervision_order_steps', 'r.created_at');--> statement-breakpoint
SELECT history.enable('supervision_escalation_rules', 'r.created_at');--> statement-breakpoint
SELECT history.enable('assessment_rules', 'r.created_at');
