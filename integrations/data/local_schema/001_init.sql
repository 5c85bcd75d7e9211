-- The local workspace, version 1: a people directory and what was created
-- for them. Lives in the store's database (SQLite file or PostgreSQL).
-- Names are copied next to ids so a list stays readable after the
-- directory is replaced. `action_key` is the idempotency key of the
-- confirmed action: one action, one row.

CREATE TABLE local_people (
    id        TEXT PRIMARY KEY,
    position  INTEGER NOT NULL,
    first     TEXT,
    last      TEXT,
    middle    TEXT,
    email     TEXT,
    gender    TEXT
);

CREATE TABLE local_tasks (
    id              AUTO_ID,
    action_key      TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    responsible_id  TEXT NOT NULL,
    responsible     TEXT NOT NULL,
    deadline        TEXT,
    created_by_id   TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE local_events (
    id              AUTO_ID,
    action_key      TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    start_at        TEXT NOT NULL,
    end_at          TEXT,
    all_day         BOOLEAN NOT NULL,
    owner_id        TEXT NOT NULL,
    owner           TEXT NOT NULL,
    participant_id  TEXT,
    participant     TEXT,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE local_messages (
    id          AUTO_ID,
    action_key  TEXT NOT NULL UNIQUE,
    to_id       TEXT NOT NULL,
    to_name     TEXT NOT NULL,
    text        TEXT NOT NULL,
    from_id     TEXT NOT NULL,
    from_name   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
