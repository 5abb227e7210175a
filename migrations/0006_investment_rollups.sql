CREATE TABLE "project_investment_rollups" (
	"year" integer NOT NULL,
	"project_id" uuid NOT NULL,
	"cumulative" numeric[] NOT NULL,
	"first_period" smallint NOT NULL,
	CONSTRAINT "project_investment_rollups_year_project_id_pk" PRIMARY KEY("year","project_id")
);
--> statement-breakpoint
ALTER TABLE "project_investment_rollups" ADD CONSTRAINT "project_investment_rollups_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;