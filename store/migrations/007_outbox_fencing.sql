-- The outbox, version 5: fencing, the look-up decision, failures told.
--
-- claim:       the fencing token. Every claim of an action (the first
--              attempt, each drainer retry) increments it and the attempt
--              keeps its value; the attempt may call the workspace, and may
--              record anything but "done", only while the row still carries
--              its value (checked in the same UPDATE that extends the lease).
-- reached:     1 once an attempt has called `create`: that attempt may have
--              made the thing even if no answer came back. A retry whose
--              duplicate look-up cannot run creates only while this is 0.
-- fail_kind:   why a failed action failed: "lookup" (could not check
--              whether it was made), "rejected", "gave_up".
-- person_id:   the acting person (payload.actor), so a failure is told to
--              that person on any platform they use.
-- reported_at: when the failure was told to the person (NULL: not yet).
ALTER TABLE actions ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN reached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN fail_kind TEXT;
ALTER TABLE actions ADD COLUMN person_id TEXT;
ALTER TABLE actions ADD COLUMN reported_at TIMESTAMPTZ;
CREATE INDEX actions_unreported ON actions (status, reported_at);
-- records from before: whether an attempt called `create` is unknown, so
-- the safe side (a retry looks before it makes)
UPDATE actions SET reached = 1;

-- Things to tell a voice user on their next turn that are not about an
-- action (e.g. their link ended because their person left the directory).
CREATE TABLE notices (
    id          AUTO_ID,
    user_key    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX notices_user ON notices (user_key);
