-- The local workspace, version 2: items change after they are made (issue 12).
-- A task is open or done; an event may be cancelled (kept, marked, so the
-- listing shows what happened). `local_changes` records each confirmed
-- change under its idempotency key: one confirmed change, applied once.

ALTER TABLE local_tasks ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE local_tasks ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE local_tasks ADD COLUMN changed_at TIMESTAMPTZ;
ALTER TABLE local_events ADD COLUMN cancelled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE local_events ADD COLUMN changed_at TIMESTAMPTZ;

CREATE TABLE local_changes (
    action_key  TEXT PRIMARY KEY,
    item_kind   TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL
);
