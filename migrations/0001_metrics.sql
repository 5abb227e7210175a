CREATE TABLE "declared_figures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list" text NOT NULL,
	"year" integer NOT NULL,
	"figure" text NOT NULL,
	"value" numeric(20, 6) NOT NULL,
	"source" text NOT NULL,
	"as_of" date,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "declared_figures_list_check" CHECK ("declared_figures"."list" in ('city_key', 'city_key_reserve', 'town_key_industrial', 'special_bond_reserve')),
	CONSTRAINT "declared_figures_figure_check" CHECK ("declared_figures"."figure" in ('project_count', 'estimated_investment', 'planned_investment', 'new_start.project_count', 'new_start.estimated_investment', 'new_start.planned_investment', 'continuing.project_count', 'continuing.estimated_investment', 'continuing.planned_investment', 'preliminary.project_count', 'preliminary.estimated_investment', 'preliminary.planned_investment', 'large_project_count', 'investment_completed', 'plan_completion_rate', 'resumed_count', 'resumption_rate', 'started_count', 'start_rate')),
	CONSTRAINT "declared_figures_year_check" CHECK ("declared_figures"."year" between 2000 and 2100),
	CONSTRAINT "declared_figures_value_check" CHECK ("declared_figures"."value" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "declared_figures_list_year_figure_key" ON "declared_figures" USING btree ("list","year","figure");