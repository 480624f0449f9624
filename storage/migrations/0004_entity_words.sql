-- Autocomplete without FTS5: FTS5 scored, joined and sorted every match of a short
-- prefix before LIMIT (thousands at 100k names). These B-trees hand out matches in
-- rank order (in space, then most recent), so a search stops after a few thousand
-- rows at most (see `storage/index.py`). `words` is the name folded by
-- `storage/index.py` (lower case, no diacritics, letters and digits only) as
-- ' word1 word2 … ', the same in both tables.

-- The FTS5 index is no longer read; it only cost every write. (Dropped first, so that
-- the tables below take its freed pages.)
DROP TRIGGER entities_ai;
DROP TRIGGER entities_ad;
DROP TRIGGER entities_au;
DROP TABLE entities_fts;

-- Every distinct word of every name, in rank order within a word. `previous` is the
-- name's distinct word before `word` in alphabetical order ('' for none): of a name's
-- words starting with some prefix, the first is the one whose `previous` is less
-- than the prefix, which counts each name once without looking into `words`.
CREATE TABLE entity_words (
    kind      TEXT NOT NULL,
    word      TEXT NOT NULL,
    in_space  INTEGER NOT NULL,  -- entities.in_space, NULL as 0
    sort_time REAL NOT NULL,     -- entities.sort_time, NULL as -Inf
    words     TEXT NOT NULL,
    id        INTEGER NOT NULL,
    previous  TEXT NOT NULL,
    PRIMARY KEY (kind, word, in_space DESC, sort_time DESC, words, id)
) WITHOUT ROWID;

-- Every entity, in rank order.
CREATE TABLE entity_ranks (
    kind      TEXT NOT NULL,
    in_space  INTEGER NOT NULL,
    sort_time REAL NOT NULL,
    words     TEXT NOT NULL,
    id        INTEGER NOT NULL,
    PRIMARY KEY (kind, in_space DESC, sort_time DESC, words, id)
) WITHOUT ROWID;

-- Entities whose rows above are not yet what `entities` says, with the state the
-- rows were made from (indexed_name NULL: no rows yet). Filled by the triggers
-- below, emptied by `SearchIndex` in the transaction that wrote `entities` (or at
-- its first search, for what an older version or a migration left). A migration
-- that changes the folding empties both tables and queues every entity here.
CREATE TABLE entity_words_pending (
    kind              TEXT NOT NULL,
    id                INTEGER NOT NULL,
    indexed_name      TEXT,
    indexed_in_space  INTEGER,
    indexed_sort_time REAL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

INSERT INTO entity_words_pending (kind, id) SELECT kind, id FROM entities;

-- (NOT EXISTS rather than INSERT OR IGNORE: a trigger's conflict clause gives way to
-- the one of the statement that fired it.)
CREATE TRIGGER entity_words_ai AFTER INSERT ON entities
WHEN NOT EXISTS (SELECT 1 FROM entity_words_pending WHERE kind = new.kind AND id = new.id)
BEGIN
    INSERT INTO entity_words_pending (kind, id) VALUES (new.kind, new.id);
END;
CREATE TRIGGER entity_words_au AFTER UPDATE ON entities
WHEN old.name IS NOT new.name OR old.in_space IS NOT new.in_space
    OR old.sort_time IS NOT new.sort_time OR old.kind IS NOT new.kind OR old.id IS NOT new.id
BEGIN
    INSERT INTO entity_words_pending
        SELECT old.kind, old.id, old.name, old.in_space, old.sort_time
        WHERE NOT EXISTS (
            SELECT 1 FROM entity_words_pending WHERE kind = old.kind AND id = old.id
        );
    INSERT INTO entity_words_pending (kind, id)
        SELECT new.kind, new.id
        WHERE NOT EXISTS (
            SELECT 1 FROM entity_words_pending WHERE kind = new.kind AND id = new.id
        );
END;
CREATE TRIGGER entity_words_ad AFTER DELETE ON entities
WHEN NOT EXISTS (SELECT 1 FROM entity_words_pending WHERE kind = old.kind AND id = old.id)
BEGIN
    INSERT INTO entity_words_pending
        VALUES (old.kind, old.id, old.name, old.in_space, old.sort_time);
END;
