CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text NOT NULL,
	"request_id" text,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "groundbreaking_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"ceremony_date" date NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"location" text,
	"notes" text,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groundbreaking_batches_status_check" CHECK ("groundbreaking_batches"."status" in ('planned', 'held', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"contact_person" text,
	"contact_phone" text,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_departments" (
	"inspection_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	CONSTRAINT "inspection_departments_inspection_id_department_id_pk" PRIMARY KEY("inspection_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_leaders" (
	"inspection_id" uuid NOT NULL,
	"leader_id" uuid NOT NULL,
	CONSTRAINT "inspection_leaders_inspection_id_leader_id_pk" PRIMARY KEY("inspection_id","leader_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_projects" (
	"inspection_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	CONSTRAINT "inspection_projects_inspection_id_project_id_pk" PRIMARY KEY("inspection_id","project_id")
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"inspected_on" date NOT NULL,
	"title" text NOT NULL,
	"team" text,
	"findings" text,
	"outcome" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspections_kind_check" CHECK ("inspections"."kind" in ('resumption_check', 'supervision', 'leader_visit', 'onsite_office_day'))
);
--> statement-breakpoint
CREATE TABLE "project_issues" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"category" text DEFAULT 'other' NOT NULL,
	"source" text NOT NULL,
	"inspection_id" uuid,
	"report_id" uuid,
	"raised_by" text,
	"raised_on" date NOT NULL,
	"handling_mode" text NOT NULL,
	"assigned_department_id" uuid NOT NULL,
	"assignee_name" text,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_issues_category_check" CHECK ("project_issues"."category" in ('land', 'approval', 'power', 'water', 'financing', 'epidemic', 'other')),
	CONSTRAINT "project_issues_source_check" CHECK ("project_issues"."source" in ('inspection', 'report', 'enterprise_request', 'other')),
	CONSTRAINT "project_issues_mode_check" CHECK ("project_issues"."handling_mode" in ('immediate', 'on_site', 'dedicated')),
	CONSTRAINT "project_issues_status_check" CHECK ("project_issues"."status" in ('open', 'in_progress', 'resolved', 'withdrawn')),
	CONSTRAINT "project_issues_resolution_check" CHECK ("project_issues"."status" <> 'resolved' or ("project_issues"."resolution" is not null and "project_issues"."resolved_on" is not null)),
	CONSTRAINT "project_issues_resolved_on_check" CHECK ("project_issues"."resolved_on" is null or "project_issues"."resolved_on" >= "project_issues"."raised_on")
);
--> statement-breakpoint
CREATE TABLE "leader_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"leader_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"role" text DEFAULT 'lead' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leader_assignments_role_check" CHECK ("leader_assignments"."role" in ('lead', 'deputy')),
	CONSTRAINT "leader_assignments_dates_check" CHECK ("leader_assignments"."end_date" is null or "leader_assignments"."end_date" >= "leader_assignments"."start_date")
);
--> statement-breakpoint
CREATE TABLE "leaders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"phone" text,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "annual_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"list" text NOT NULL,
	"stage" text NOT NULL,
	"planned_investment" numeric(18, 4) NOT NULL,
	"batch_id" uuid,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "annual_plans_list_check" CHECK ("annual_plans"."list" in ('city_key', 'city_key_reserve', 'town_key_industrial', 'special_bond_reserve')),
	CONSTRAINT "annual_plans_stage_check" CHECK ("annual_plans"."stage" in ('new_start', 'continuing', 'preliminary')),
	CONSTRAINT "annual_plans_year_check" CHECK ("annual_plans"."year" between 2000 and 2100),
	CONSTRAINT "annual_plans_planned_investment_check" CHECK ("annual_plans"."planned_investment" >= 0)
);
--> statement-breakpoint
CREATE TABLE "project_status_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"effective_date" date NOT NULL,
	"reason" text,
	"actor" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_status_changes_to_check" CHECK ("project_status_changes"."to_status" in ('planning', 'approved', 'under_construction', 'suspended', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "project_supporting_departments" (
	"project_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	CONSTRAINT "project_supporting_departments_project_id_department_id_pk" PRIMARY KEY("project_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"owner_unit" text,
	"category" text NOT NULL,
	"industry" text,
	"location" text,
	"description" text,
	"estimated_investment" numeric(18, 4) NOT NULL,
	"status" text DEFAULT 'planning' NOT NULL,
	"planned_start_date" date,
	"planned_completion_date" date,
	"actual_start_date" date,
	"actual_completion_date" date,
	"department_id" uuid NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_category_check" CHECK ("projects"."category" in ('industrial_investment', 'transport', 'industrial_land_renewal', 'industrial_park_facilities', 'rural_revitalisation', 'water_control', 'education', 'healthcare', 'livelihood_other')),
	CONSTRAINT "projects_status_check" CHECK ("projects"."status" in ('planning', 'approved', 'under_construction', 'suspended', 'completed', 'cancelled')),
	CONSTRAINT "projects_estimated_investment_check" CHECK ("projects"."estimated_investment" >= 0),
	CONSTRAINT "projects_planned_dates_check" CHECK ("projects"."planned_completion_date" is null or "projects"."planned_start_date" is null or "projects"."planned_completion_date" >= "projects"."planned_start_date")
);
--> statement-breakpoint
CREATE TABLE "progress_report_revisions" (
	"report_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"investment_completed" numeric(18, 4) NOT NULL,
	"physical_progress" numeric(5, 2),
	"work_ongoing" boolean NOT NULL,
	"narrative" text,
	"correction_reason" text,
	"actor" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "progress_report_revisions_report_id_revision_pk" PRIMARY KEY("report_id","revision"),
	CONSTRAINT "progress_report_revisions_investment_check" CHECK ("progress_report_revisions"."investment_completed" >= 0),
	CONSTRAINT "progress_report_revisions_progress_check" CHECK ("progress_report_revisions"."physical_progress" is null or ("progress_report_revisions"."physical_progress" >= 0 and "progress_report_revisions"."physical_progress" <= 100))
);
--> statement-breakpoint
CREATE TABLE "progress_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"period" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"due_date" date NOT NULL,
	"department_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"late" boolean NOT NULL,
	"current_revision" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "progress_reports_period_check" CHECK ("progress_reports"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])-H[12]$'),
	CONSTRAINT "progress_reports_period_dates_check" CHECK ("progress_reports"."period_end" >= "progress_reports"."period_start")
);
--> statement-breakpoint
CREATE TABLE "special_bonds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"bond_batch" text,
	"applied_on" date NOT NULL,
	"amount_requested" numeric(18, 4) NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"amount_granted" numeric(18, 4),
	"decided_on" date,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "special_bonds_outcome_check" CHECK ("special_bonds"."outcome" in ('pending', 'granted', 'rejected', 'withdrawn')),
	CONSTRAINT "special_bonds_amounts_check" CHECK ("special_bonds"."amount_requested" >= 0 and ("special_bonds"."amount_granted" is null or "special_bonds"."amount_granted" >= 0)),
	CONSTRAINT "special_bonds_granted_check" CHECK ("special_bonds"."outcome" <> 'granted' or ("special_bonds"."amount_granted" is not null and "special_bonds"."decided_on" is not null))
);
--> statement-breakpoint
ALTER TABLE "inspection_departments" ADD CONSTRAINT "inspection_departments_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_departments" ADD CONSTRAINT "inspection_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_leaders" ADD CONSTRAINT "inspection_leaders_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_leaders" ADD CONSTRAINT "inspection_leaders_leader_id_leaders_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."leaders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_projects" ADD CONSTRAINT "inspection_projects_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_projects" ADD CONSTRAINT "inspection_projects_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_issues" ADD CONSTRAINT "project_issues_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_issues" ADD CONSTRAINT "project_issues_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_issues" ADD CONSTRAINT "project_issues_report_id_progress_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."progress_reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_issues" ADD CONSTRAINT "project_issues_assigned_department_id_departments_id_fk" FOREIGN KEY ("assigned_department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_assignments" ADD CONSTRAINT "leader_assignments_leader_id_leaders_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."leaders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_assignments" ADD CONSTRAINT "leader_assignments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_plans" ADD CONSTRAINT "annual_plans_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_plans" ADD CONSTRAINT "annual_plans_batch_id_groundbreaking_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."groundbreaking_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_status_changes" ADD CONSTRAINT "project_status_changes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_supporting_departments" ADD CONSTRAINT "project_supporting_departments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_supporting_departments" ADD CONSTRAINT "project_supporting_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_report_revisions" ADD CONSTRAINT "progress_report_revisions_report_id_progress_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."progress_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_bonds" ADD CONSTRAINT "special_bonds_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_resource_idx" ON "audit_events" USING btree ("resource_type","resource_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor","id");--> statement-breakpoint
CREATE INDEX "audit_events_time_idx" ON "audit_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "departments_code_key" ON "departments" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "departments_name_key" ON "departments" USING btree ("name");--> statement-breakpoint
CREATE INDEX "inspection_projects_project_idx" ON "inspection_projects" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "inspections_date_idx" ON "inspections" USING btree ("inspected_on","id");--> statement-breakpoint
CREATE INDEX "project_issues_project_idx" ON "project_issues" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "project_issues_department_idx" ON "project_issues" USING btree ("assigned_department_id");--> statement-breakpoint
CREATE INDEX "project_issues_status_idx" ON "project_issues" USING btree ("status","due_date");--> statement-breakpoint
CREATE INDEX "project_issues_inspection_idx" ON "project_issues" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "leader_assignments_project_idx" ON "leader_assignments" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "leader_assignments_leader_idx" ON "leader_assignments" USING btree ("leader_id");--> statement-breakpoint
CREATE UNIQUE INDEX "annual_plans_project_year_list_key" ON "annual_plans" USING btree ("project_id","year","list");--> statement-breakpoint
CREATE INDEX "annual_plans_year_list_idx" ON "annual_plans" USING btree ("year","list","project_id");--> statement-breakpoint
CREATE INDEX "annual_plans_batch_idx" ON "annual_plans" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "project_status_changes_project_idx" ON "project_status_changes" USING btree ("project_id","effective_date","id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_code_key" ON "projects" USING btree ("code");--> statement-breakpoint
CREATE INDEX "projects_department_idx" ON "projects" USING btree ("department_id","id");--> statement-breakpoint
CREATE INDEX "projects_status_idx" ON "projects" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "progress_reports_project_period_key" ON "progress_reports" USING btree ("project_id","period");--> statement-breakpoint
CREATE INDEX "progress_reports_period_idx" ON "progress_reports" USING btree ("period_end","project_id");--> statement-breakpoint
CREATE INDEX "progress_reports_late_idx" ON "progress_reports" USING btree ("late","period_end");--> statement-breakpoint
CREATE INDEX "progress_reports_department_idx" ON "progress_reports" USING btree ("department_id","period_end");--> statement-breakpoint
CREATE INDEX "special_bonds_project_idx" ON "special_bonds" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "special_bonds_decided_idx" ON "special_bonds" USING btree ("decided_on");