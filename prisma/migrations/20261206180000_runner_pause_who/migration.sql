-- Who paused one runner, why and when (the fleet's pause keeps the same in runner_control): the
-- component health says it beside the runner, and a runner started again on its host carries it
-- over with the pause (lib/db/hosts/runners.ts).
ALTER TABLE "runners" ADD COLUMN "paused_by" TEXT, ADD COLUMN "paused_reason" TEXT, ADD COLUMN "paused_at" TIMESTAMPTZ(6);
