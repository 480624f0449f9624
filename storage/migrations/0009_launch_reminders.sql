-- Upcoming crewed launches Capcom watches for reminders and change notices: what it
-- last knew of each. planned_net is the exact NET reminders are planned for (NULL while
-- LL2's NET is a placeholder); net_seen_at when that NET was first seen; revision counts
-- the changes told.
CREATE TABLE watched_launches (
    launch_id    TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    net          REAL,
    precision_id INTEGER,
    status_id    INTEGER,
    flight_id    INTEGER,
    webcast_url  TEXT,
    page_url     TEXT,
    planned_net  REAL,
    net_seen_at  REAL NOT NULL,
    first_seen   REAL NOT NULL,
    last_seen    REAL NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 0
);

-- What Capcom tells each server about a launch, like alert_ledger: one row per (guild,
-- launch, key), written 'pending' before anything is sent. key: 'reminder:<offset>@<NET>',
-- 'change:<revision>' (change_kind, old_net, new_net, status_id say what changed) or
-- 'outcome'. A sent reminder is edited when the launch changes: edited_revision is the
-- revision its message shows.
CREATE TABLE launch_ledger (
    guild_id        INTEGER NOT NULL,
    launch_id       TEXT NOT NULL,
    key             TEXT NOT NULL,
    channel_id      INTEGER NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    message_id      INTEGER,
    note            TEXT,
    change_kind     TEXT,
    old_net         REAL,
    new_net         REAL,
    status_id       INTEGER,
    edited_revision INTEGER NOT NULL DEFAULT 0,
    created_at      REAL NOT NULL,
    updated_at      REAL NOT NULL,
    PRIMARY KEY (guild_id, launch_id, key)
);
CREATE INDEX launch_ledger_state ON launch_ledger (state);

-- The reminder offsets a server chose, in seconds before NET (24 h and 1 h unless it
-- chose others); reminders come only while 'reminders' is among its kinds.
ALTER TABLE alert_subscriptions ADD COLUMN reminder_offsets TEXT NOT NULL DEFAULT '86400,3600';
