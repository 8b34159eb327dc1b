-- The end of a run's log, kept in PostgreSQL when the run ends, by a runner whose logs the web
-- servers read over HTTP (SWITCHYARD_RUNNER_URL: Kubernetes, where the log is in the runner pod's
-- emptyDir). Once that runner is gone (a rollout, an evicted pod), its logs are gone with it: the
-- run page then shows this kept end, where the traceback is (lib/db/runs/log-tails.ts). content
-- is gzip of the log's bytes from start to size. Pruned with the runners' log files
-- (SWITCHYARD_RUN_LOG_DAYS).
CREATE TABLE "run_log_tails" (
    "run_id" BIGINT NOT NULL,
    "size" BIGINT NOT NULL,
    "start" BIGINT NOT NULL,
    "content" BYTEA NOT NULL,
    "kept_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_log_tails_pkey" PRIMARY KEY ("run_id")
);

ALTER TABLE "run_log_tails" ADD CONSTRAINT "run_log_tails_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "run_log_tails_kept_at_idx" ON "run_log_tails"("kept_at");
