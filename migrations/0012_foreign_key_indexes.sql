CREATE INDEX "project_issues_report_idx" ON "project_issues" USING btree ("report_id") WHERE "project_issues"."report_id" is not null;--> statement-breakpoint
CREATE INDEX "project_investment_rollups_project_idx" ON "project_investment_rollups" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("event_id");