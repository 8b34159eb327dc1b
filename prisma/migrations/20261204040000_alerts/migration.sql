-- Alerts (issue 11): incidents opened and resolved by the alert loop in every runner, and the
-- outbox of messages to send about them. Prisma (adapter-pg) splits this script at every
-- semicolon, so no comment here may contain one.

-- One incident per (rule, subject): the key is "<rule>:<service id>:<kind>:<period start>" for
-- period rules, "<rule>:<runner id>" or "<rule>" for fleet rules. A re-open is the same row with
-- opened_count + 1, so every message about it has one (incident, seq) to be unique on.
CREATE TABLE "alert_incidents" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "service_id" INTEGER,
    "kind" "run_kind",
    "period_start" TIMESTAMPTZ(6),
    "period_date" DATE,
    "run_id" BIGINT,
    "subject" TEXT,
    "summary" TEXT NOT NULL,
    "error" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "opened_at" TIMESTAMPTZ(6) NOT NULL,
    "opened_count" INTEGER NOT NULL DEFAULT 1,
    "resolved_at" TIMESTAMPTZ(6),
    "resolved_by" TEXT,
    "acknowledged_at" TIMESTAMPTZ(6),
    "acknowledged_by" TEXT,

    CONSTRAINT "alert_incidents_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "alert_incidents_key_key" ON "alert_incidents"("key");
-- The resolve pass and the page read only open incidents: cost bounded by what is open.
CREATE INDEX "alert_incidents_open_idx" ON "alert_incidents"("rule", "id") WHERE "status" = 'open';
CREATE INDEX "alert_incidents_recent_idx" ON "alert_incidents"("opened_at" DESC);
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_status_check" CHECK ("status" IN ('open', 'resolved'));
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_severity_check" CHECK ("severity" IN ('info', 'warning', 'critical'));
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One message to one channel about one incident event, written in the same transaction as the
-- incident change. Senders claim pending rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE "alert_outbox" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "seq" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(6),
    "sent_at" TIMESTAMPTZ(6),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_outbox_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "alert_outbox_message_key" ON "alert_outbox"("incident_id", "seq", "event", "channel");
CREATE INDEX "alert_outbox_due_idx" ON "alert_outbox"("next_attempt_at", "id") WHERE "status" = 'pending';
CREATE INDEX "alert_outbox_sending_idx" ON "alert_outbox"("claimed_at") WHERE "status" = 'sending';
CREATE INDEX "alert_outbox_channel_idx" ON "alert_outbox"("channel", "id" DESC);
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_status_check" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed', 'skipped'));
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_event_check" CHECK ("event" IN ('open', 'resolve'));
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "alert_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The failed-run rule reads recent failures only: a partial index, small whatever the history.
CREATE INDEX "runs_failed_finished_idx" ON "runs"("finished_at") WHERE "status" IN ('failed', 'lost');
