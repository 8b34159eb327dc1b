-- Bring your own fleet (issue 12): where a service's command runs (working_directory: an absolute
-- folder, null = the runner's own) and whether the runner launches it at all (launch = false:
-- observe only, runs launched elsewhere are recorded and followed). A table of its own rather than
-- new columns: each model in prisma/schema matches one table exactly (see 20261124020000_runner).
CREATE TABLE "service_fleet_options" (
    "service_id" INTEGER NOT NULL,
    "working_directory" TEXT,
    "launch" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_fleet_options_pkey" PRIMARY KEY ("service_id")
);

ALTER TABLE "service_fleet_options" ADD CONSTRAINT "service_fleet_options_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A run launched outside Switchyard (cron, Jenkins), recognised by its root task in the history.
ALTER TYPE "run_trigger" ADD VALUE 'external';
