-- The state store, version 1. Portable SQL (SQLite and PostgreSQL):
-- timestamps are TIMESTAMPTZ (SQLite keeps fixed-width UTC ISO text in them),
-- JSON is TEXT written and read by the store.

CREATE TABLE links (
    user_key   TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    linked_at  TIMESTAMPTZ NOT NULL
);

-- live one-time codes only: a redeemed code is deleted, expired ones are
-- swept when a new code is issued
CREATE TABLE link_codes (
    code       TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX link_codes_person ON link_codes (workspace, person_id);
CREATE INDEX link_codes_expires ON link_codes (expires_at);

CREATE TABLE failed_tries (
    user_key   TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX failed_tries_at ON failed_tries (at);
CREATE INDEX failed_tries_user ON failed_tries (user_key, at);

CREATE TABLE dialog_states (
    user_key   TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE replies (
    request_id TEXT PRIMARY KEY,
    reply      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX replies_created ON replies (created_at);

CREATE TABLE actions (
    key         TEXT PRIMARY KEY,
    user_key    TEXT NOT NULL,
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at TIMESTAMPTZ,
    result      TEXT,
    error       TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX actions_due ON actions (status, next_try_at);

CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
