-- Discord scheduled events of upcoming crewed launches, opt-in per server. A server that
-- lost Create Events is paused with the reason until its admin turns events on again.
CREATE TABLE event_settings (
    guild_id      INTEGER PRIMARY KEY,
    enabled       INTEGER NOT NULL,
    paused_reason TEXT,
    updated_at    REAL NOT NULL
);

-- Which event Capcom keeps for which launch in a server. Written ('creating', with the
-- name and start about to be sent) before the event is created, so a crash between
-- creating and recording is repaired by adopting the event with that name and start.
-- state: 'creating', 'open' (the event exists), 'closed' (Capcom deleted it, or Discord
-- started and ended it: a later NET may get a new one), 'removed' (someone else deleted
-- it before it started: never made again for this launch).
CREATE TABLE launch_events (
    guild_id   INTEGER NOT NULL,
    launch_id  TEXT NOT NULL,
    event_id   INTEGER,
    name       TEXT NOT NULL,
    start_at   REAL NOT NULL,
    digest     TEXT NOT NULL,
    state      TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (guild_id, launch_id)
);
