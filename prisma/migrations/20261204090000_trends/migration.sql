-- Fleet trends (the Trends page and the services table's failure sparklines) read runs by the time
-- they finished and by the time they were queued, over a window of a day, a week or 90 days. These
-- two indexes bound each read by the window, so its cost does not grow with the history kept
-- (docs/QUERY-PLANS.md, "Fleet trends").
CREATE INDEX "runs_finished_at_idx" ON "runs" ("finished_at") WHERE "finished_at" IS NOT NULL;
CREATE INDEX "runs_queued_at_idx" ON "runs" ("queued_at");
