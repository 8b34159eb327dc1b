-- Where the dashboard reads a runner's run logs when it does not share the runner's log folder
-- (lib/runner/log-server.ts): SWITCHYARD_RUNNER_URL, the runner's health port as the web servers
-- reach it (in Kubernetes the pod's address). Null: the logs are read from the shared folder only.
ALTER TABLE "runners" ADD COLUMN "log_url" TEXT;
