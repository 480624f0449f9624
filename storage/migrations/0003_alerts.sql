-- One landing-alert subscription per guild.
CREATE TABLE alert_subscriptions (
    guild_id      INTEGER PRIMARY KEY,
    channel_id    INTEGER NOT NULL,
    role_id       INTEGER,
    heads_up      INTEGER NOT NULL DEFAULT 0,
    subscribed_at REAL NOT NULL,
    paused_reason TEXT,
    paused_at     REAL
);

-- Crewed flights the poller has seen, and what it last knew of them.
CREATE TABLE tracked_flights (
    flight_id  INTEGER PRIMARY KEY,
    in_space   INTEGER NOT NULL,
    first_seen REAL NOT NULL,
    last_seen  REAL NOT NULL
);

-- Things that happened to a flight and deserve an alert: 'landing', 'undocking:<event id>'.
CREATE TABLE flight_events (
    flight_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    occurred_at REAL NOT NULL,
    detected_at REAL NOT NULL,
    PRIMARY KEY (flight_id, kind)
);

-- The alert ledger: one row per (guild, flight, kind), written before the message is sent.
-- state: 'pending' (to send, or sent but not yet confirmed), 'sent', 'dropped' (never sent).
CREATE TABLE alert_ledger (
    guild_id   INTEGER NOT NULL,
    flight_id  INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    channel_id INTEGER NOT NULL,
    state      TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER,
    note       TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (guild_id, flight_id, kind)
);
CREATE INDEX alert_ledger_state ON alert_ledger (state);
