-- Document cache: every LL2 object or list page fetched, as LL2 sent it.
CREATE TABLE documents (
    key        TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    fetched_at REAL NOT NULL
);

-- Upstream requests of the last hour: the persisted hourly budget.
CREATE TABLE upstream_requests (
    id       INTEGER PRIMARY KEY,
    at       REAL NOT NULL,
    priority TEXT NOT NULL,
    path     TEXT NOT NULL
);
CREATE INDEX upstream_requests_at ON upstream_requests (at);

-- Small persisted facts about LL2, e.g. the time a 429 told us to wait until.
CREATE TABLE upstream_state (
    key   TEXT PRIMARY KEY,
    value REAL NOT NULL
);

-- The local index of astronauts, spacecraft and flights, fed by every response.
CREATE TABLE entities (
    kind       TEXT NOT NULL,
    id         INTEGER NOT NULL,
    name       TEXT NOT NULL,
    label      TEXT NOT NULL,
    in_space   INTEGER,
    sort_time  REAL,
    parent_id  INTEGER,
    updated_at REAL NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX entities_parent ON entities (kind, parent_id);

CREATE VIRTUAL TABLE entities_fts USING fts5 (
    name,
    content = 'entities',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER entities_ai AFTER INSERT ON entities BEGIN
    INSERT INTO entities_fts (rowid, name) VALUES (new.rowid, new.name);
END;
CREATE TRIGGER entities_ad AFTER DELETE ON entities BEGIN
    INSERT INTO entities_fts (entities_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
END;
CREATE TRIGGER entities_au AFTER UPDATE OF name ON entities BEGIN
    INSERT INTO entities_fts (entities_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO entities_fts (rowid, name) VALUES (new.rowid, new.name);
END;
