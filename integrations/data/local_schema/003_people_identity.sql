-- The local workspace, version 2: people keep their identity across
-- imports. A person an import leaves out is kept as a tombstone
-- (removed_at set): never listed, never matched, their id never given to
-- anyone else (names in old rows and links stay unambiguous).
ALTER TABLE local_people ADD COLUMN removed_at TIMESTAMPTZ;
