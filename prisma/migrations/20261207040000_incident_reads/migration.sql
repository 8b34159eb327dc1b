-- Reading incidents by service (its page, /incidents?service=, the API and the CLI) and pruning
-- old resolved ones (SWITCHYARD_INCIDENT_DAYS): both stay index reads however long the history is.
-- The first also serves the cascade when a service is deleted.
CREATE INDEX "alert_incidents_service_idx" ON "alert_incidents"("service_id", "status", "resolved_at" DESC);
CREATE INDEX "alert_incidents_resolved_idx" ON "alert_incidents"("resolved_at" DESC, "id" DESC) WHERE "status" = 'resolved';
