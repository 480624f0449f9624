-- Live boards: one message per channel that Capcom keeps current by editing it.
-- `message_id` is the board's message once posted (NULL: to post); `content_key` the key
-- of what it shows (an edit only when that changes); `paused_reason` why Capcom stopped.
CREATE TABLE boards (
    channel_id    INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    message_id    INTEGER,
    content_key   TEXT,
    paused_reason TEXT,
    created_at    REAL NOT NULL,
    updated_at    REAL NOT NULL
);
CREATE INDEX boards_guild ON boards (guild_id);
