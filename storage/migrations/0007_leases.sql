-- Leases on work that one process of a fleet does at a time (the alert poll, the
-- catalog sync): held by `holder` until `expires_at` (UNIX time) unless renewed.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at REAL NOT NULL
);
