-- 0004_entity_words.sql for PostgreSQL (read that file for what the tables are for).
-- Differences: words compare by code point (COLLATE "C", as in SQLite: a prefix is
-- searched as the range [prefix, `_after(prefix)`)); a unique index in rank order
-- instead of a WITHOUT ROWID primary key (a PostgreSQL key has no DESC); the triggers
-- call one PL/pgSQL function; and `instr`, which the search statement uses, is defined
-- as PostgreSQL's `strpos`.

CREATE TABLE entity_words (
    kind      TEXT NOT NULL,
    word      TEXT COLLATE "C" NOT NULL,
    in_space  BIGINT NOT NULL,
    sort_time DOUBLE PRECISION NOT NULL,
    words     TEXT COLLATE "C" NOT NULL,
    id        BIGINT NOT NULL,
    previous  TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX entity_words_rank
    ON entity_words (kind, word, in_space DESC, sort_time DESC, words, id);

CREATE TABLE entity_ranks (
    kind      TEXT NOT NULL,
    in_space  BIGINT NOT NULL,
    sort_time DOUBLE PRECISION NOT NULL,
    words     TEXT COLLATE "C" NOT NULL,
    id        BIGINT NOT NULL
);
CREATE UNIQUE INDEX entity_ranks_rank
    ON entity_ranks (kind, in_space DESC, sort_time DESC, words, id);

CREATE TABLE entity_words_pending (
    kind              TEXT NOT NULL,
    id                BIGINT NOT NULL,
    indexed_name      TEXT,
    indexed_in_space  BIGINT,
    indexed_sort_time DOUBLE PRECISION,
    PRIMARY KEY (kind, id)
);

-- The entity as it was (what its rows were made from), and the entity as it is now,
-- each queued once.
CREATE FUNCTION entity_words_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO entity_words_pending
            VALUES (OLD.kind, OLD.id, OLD.name, OLD.in_space, OLD.sort_time)
            ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO entity_words_pending (kind, id) VALUES (NEW.kind, NEW.id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER entity_words_ai AFTER INSERT ON entities
    FOR EACH ROW EXECUTE FUNCTION entity_words_queue();
CREATE TRIGGER entity_words_au AFTER UPDATE ON entities
    FOR EACH ROW WHEN (
        OLD.name IS DISTINCT FROM NEW.name OR OLD.in_space IS DISTINCT FROM NEW.in_space
        OR OLD.sort_time IS DISTINCT FROM NEW.sort_time OR OLD.kind IS DISTINCT FROM NEW.kind
        OR OLD.id IS DISTINCT FROM NEW.id
    )
    EXECUTE FUNCTION entity_words_queue();
CREATE TRIGGER entity_words_ad AFTER DELETE ON entities
    FOR EACH ROW EXECUTE FUNCTION entity_words_queue();

CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT strpos(haystack, needle)';
