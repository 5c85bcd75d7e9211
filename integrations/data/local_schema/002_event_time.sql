-- The local workspace, version 2: an event's repetition (RFC 5545 RRULE, its
-- start the first occurrence), reminder (minutes before) and invited people
-- (JSON list of {"id", "name"}; the owner hosts). Issue 11.

ALTER TABLE local_events ADD COLUMN rrule TEXT;
ALTER TABLE local_events ADD COLUMN remind_minutes INTEGER;
ALTER TABLE local_events ADD COLUMN attendees TEXT;
