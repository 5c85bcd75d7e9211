-- Security (issue 9): one-time codes are kept only as keyed hashes, every
-- code evaluation is numbered (a code retires after its share of guesses),
-- and a delivered reply is remembered per voice user, not per request id
-- alone (a request id is the caller's word, another user may send the same).
-- Live codes and cached replies are short-lived: they are dropped here.

DROP TABLE link_codes;

CREATE TABLE link_code_hashes (
    code_hash        TEXT PRIMARY KEY,   -- HMAC-SHA256(server secret, code), hex
    person_id        TEXT NOT NULL,
    workspace        TEXT NOT NULL,
    length           INTEGER NOT NULL,
    guesses_at_issue BIGINT NOT NULL,    -- link_guesses.n when the code was made
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX link_code_hashes_person ON link_code_hashes (workspace, person_id);
CREATE INDEX link_code_hashes_expires ON link_code_hashes (expires_at);

-- one row: how many codes were ever evaluated; its row lock serialises
-- check-and-record of every try (no race past a limit)
CREATE TABLE link_guesses (
    id INTEGER PRIMARY KEY,
    n  BIGINT NOT NULL
);
INSERT INTO link_guesses (id, n) VALUES (1, 0);

DROP TABLE replies;

CREATE TABLE replies (
    user_key   TEXT NOT NULL,
    request_id TEXT NOT NULL,
    reply      TEXT,                     -- NULL: the first delivery is still being answered
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_key, request_id)
);
CREATE INDEX replies_created ON replies (created_at);
