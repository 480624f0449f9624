-- Reserved: the launch watch (branch `reminders`) brings its own 0009. This empty
-- migration only keeps the numbers without a gap until then; drop it in that merge.
SELECT 1;
