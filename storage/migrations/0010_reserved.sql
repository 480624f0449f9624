-- Reserved for the scheduled-events branch (0010_scheduled_events.sql), so that this
-- branch's 0011 runs on its own; dropped when that branch is merged.
SELECT 1;
