-- Alert channels kept in PostgreSQL (issue 11), next to the ones in SWITCHYARD_ALERT_CHANNELS.
-- Secrets (webhook URLs, signing secrets, SMTP URLs with their password) are in their own column,
-- read only by the sender and by an admin's edit (which shows a masked form): no list query selects it.
CREATE TABLE "alert_channels" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" JSONB NOT NULL DEFAULT '{}',
    "secrets" JSONB NOT NULL DEFAULT '{}',
    "filters" JSONB NOT NULL DEFAULT '{}',
    "quiet_hours" JSONB,
    "digest_time" TEXT,
    "digest_time_zone" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'api',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "alert_channels_name_key" ON "alert_channels"("name");
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_kind_check" CHECK ("kind" IN ('slack', 'webhook', 'email'));
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_source_check" CHECK ("source" IN ('api', 'file'));
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_digest_check" CHECK (("digest_time" IS NULL) = ("digest_time_zone" IS NULL));

-- The outbox also carries the daily digest and test sends, which belong to no incident. A digest
-- has a dedupe key (channel and local date): two evaluators insert it once.
ALTER TABLE "alert_outbox" ALTER COLUMN "incident_id" DROP NOT NULL;
ALTER TABLE "alert_outbox" ADD COLUMN "dedupe_key" TEXT;
CREATE UNIQUE INDEX "alert_outbox_dedupe_key" ON "alert_outbox"("dedupe_key");
ALTER TABLE "alert_outbox" DROP CONSTRAINT "alert_outbox_event_check";
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_event_check" CHECK ("event" IN ('open', 'resolve', 'digest', 'test'));
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_incident_check" CHECK (("incident_id" IS NULL) = ("event" IN ('digest', 'test')));
