-- A declared figure is reconciled only with the derived figure of the as-of date it was published for.
-- One written without a date stood for its year: it becomes the year's last day. The rows are written
-- before the ALTER, so the deferred figures trigger (migration 0010) fires now, not at commit.
SET CONSTRAINTS ALL IMMEDIATE;--> statement-breakpoint
UPDATE "declared_figures" SET "as_of" = make_date("year", 12, 31) WHERE "as_of" IS NULL;--> statement-breakpoint
DROP INDEX "declared_figures_list_year_figure_key";--> statement-breakpoint
ALTER TABLE "declared_figures" ALTER COLUMN "as_of" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "declared_figures_list_year_figure_as_of_key" ON "declared_figures" USING btree ("list","year","figure","as_of");