CREATE TABLE "project_milestones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text,
	"planned_date" date NOT NULL,
	"baseline_date" date NOT NULL,
	"forecast_date" date,
	"actual_date" date,
	"evidence" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_milestones_kind_check" CHECK ("project_milestones"."kind" in ('start', 'main_structure', 'completion_acceptance', 'operation', 'other')),
	CONSTRAINT "project_milestones_title_check" CHECK ("project_milestones"."kind" <> 'other' or "project_milestones"."title" is not null)
);
--> statement-breakpoint
ALTER TABLE "project_milestones" ADD CONSTRAINT "project_milestones_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "project_milestones_project_idx" ON "project_milestones" USING btree ("project_id","planned_date","id");--> statement-breakpoint
CREATE INDEX "project_milestones_planned_idx" ON "project_milestones" USING btree ("planned_date");--> statement-breakpoint
-- Milestones are read by the warning lights, the milestone figures and the OC4IDS export: versioned.
SELECT history.enable('project_milestones', 'r.created_at');
