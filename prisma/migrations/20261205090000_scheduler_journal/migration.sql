-- The scheduler's journal (lib/scheduler/store/journal.ts): one row per group commit, written
-- before the RPCs it carries are acknowledged, deleted by the checkpoint that writes its changes
-- into scheduler_tasks, scheduler_workers and the history. Rows are read back only at a restart.
CREATE TABLE scheduler_journal (
    seq BIGSERIAL PRIMARY KEY,
    entry TEXT NOT NULL,
    written_at TIMESTAMPTZ(6) NOT NULL DEFAULT now()
);
-- Written once, read rarely: no compression in the commit path (a row is a few kB of JSON).
ALTER TABLE scheduler_journal ALTER COLUMN entry SET STORAGE EXTERNAL;
