-- The local workspace, version 5: a task's reminder, minutes before its
-- deadline ("поставь задачу … на завтра в 10 и напомни за час"). NULL: none.
-- Issue 11 (events have had theirs since 002_event_time).

ALTER TABLE local_tasks ADD COLUMN remind_minutes INTEGER;
