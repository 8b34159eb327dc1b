-- Silencing one service's alerts for a while (a known problem, a maintenance window): its incidents
-- still open and show, but their messages are held (recorded skipped, with the silence) instead of
-- sent. When the silence ends, by its time or by hand, the held open message of every incident
-- still open goes out after all (lib/db/alerts/silences.ts). One silence is active per service:
-- a new one replaces it (ended_at set, ended_by 'replaced').
CREATE TABLE "alert_silences" (
    "id" BIGSERIAL NOT NULL,
    "service_id" INTEGER NOT NULL,
    "ends_at" TIMESTAMPTZ(6) NOT NULL,
    "reason" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(6),
    "ended_by" TEXT,

    CONSTRAINT "alert_silences_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- not yet ended by hand: at most one per service (its ends_at may have passed)
CREATE UNIQUE INDEX "alert_silences_one_per_service" ON "alert_silences"("service_id") WHERE "ended_at" IS NULL;

-- The silence that held a message back, while it is held (cleared when it goes out).
ALTER TABLE "alert_outbox" ADD COLUMN "silence_id" BIGINT;
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_silence_id_fkey" FOREIGN KEY ("silence_id") REFERENCES "alert_silences"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "alert_outbox_held_idx" ON "alert_outbox"("silence_id") WHERE "silence_id" IS NOT NULL;
