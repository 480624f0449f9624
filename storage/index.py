"""The local index of astronauts, spacecraft and flights, with prefix name search.

Fed by every LL2 response that passes through and by the catalog sync, read by
autocomplete (which must answer instantly and never asks LL2).

Search reads two B-trees kept beside `entities` (migration 0004): `entity_words`,
every folded word of every name, in rank order within each word, and
`entity_ranks`, every entity in rank order (in space first, then the most recent
`sort_time`). If the rarest typed word starts at most `SCAN_LIMIT` name words,
those are read whole and their names ranked completely. If every typed word starts
more (two letters at 100k names), the names having a typed word whole are read in
rank order, then `entity_ranks` in rank order until enough names match (or, past
`WALK_LIMIT` names, every match of the rarest word after all). Either way a search
is one SQL statement reading a few thousand index rows at most, where FTS5 scored
and sorted every match (11k for two letters at 100k names).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from operator import itemgetter

from storage.database import Database, Row, StorageError, Transaction

_MAX_QUERY_WORDS = 8
_TOKEN = re.compile(r"[^\W_]+")
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŀ": "l", "ŧ": "t", "æ": "ae"}
    | {"œ": "oe", "þ": "th", "\N{LATIN SMALL LETTER DOTLESS I}": "i"}
)
"""Letters that keep their stroke under NFKD, after casefold."""
_NO_TIME = float("-inf")
"""`sort_time` NULL in the search tables (key columns of theirs cannot be NULL)."""

SCAN_LIMIT = 3_000
"""A typed word that at most this many name words start with is read whole and its
names ranked completely (about 1 ms at most); past it, names are read in rank order."""
WALK_LIMIT = 5_000
"""How many names in rank order a search looks at for matches before it reads every
match of its rarest typed word instead (two common prefixes matching few names)."""
_PENDING_BATCH = 5_000
INDEXED_CHARACTERS = 256
INDEXED_WORDS = 16
"""What of a name is indexed: the words of its first 256 characters, the first 16 of
them. A name is stored once per distinct word it has, so one hostile name of 8,000
words (47 KB) took 398 MB; real names have a handful of words well within both."""


class EntityKind(StrEnum):
    ASTRONAUT = "astronaut"
    SPACECRAFT = "spacecraft"
    FLIGHT = "flight"


@dataclass(frozen=True, slots=True)
class Entity:
    """One indexed thing. `label` is what a user picks from (≤ 100 characters);
    `parent_id` links a flight to its spacecraft; `sort_time` orders by recency."""

    kind: EntityKind
    id: int
    name: str
    label: str
    in_space: bool | None = None
    sort_time: float | None = None
    parent_id: int | None = None


def _fold(text: str) -> list[str]:
    """The words of `text` as search compares them: runs of letters and digits, case
    folded, without diacritics ("Léopold Eyharts" → ["leopold", "eyharts"]).

    Everything else separates words, so user text only ever reaches SQL as bound
    parameters made of letters and digits (and spaces around them)."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _TOKEN.findall(text.casefold().translate(_LETTERS))


def _after(prefix: str) -> str:
    """The least string greater than every string starting with `prefix`, in SQLite's
    BINARY order (code point order; PostgreSQL's `COLLATE "C"` on these columns). Folded
    words end in a letter or digit, never in the last code point."""
    code = ord(prefix[-1]) + 1
    if 0xD800 <= code <= 0xDFFF:
        code = 0xE000
    return prefix[:-1] + chr(code)


_WordRow = tuple[str, str, int, float, str, int, str]
_RankRow = tuple[str, int, float, str, int]


@dataclass(frozen=True, slots=True)
class _Indexed:
    """What the search tables hold for one entity."""

    kind: str
    id: int
    in_space: int
    sort_time: float
    words: str
    """' word1 word2 … ': the folded words, each with a space before and after."""

    @classmethod
    def of(
        cls, kind: str, entity_id: int, name: str, in_space: int | None, sort_time: float | None
    ) -> _Indexed:
        return cls(
            kind=kind,
            id=entity_id,
            in_space=1 if in_space else 0,
            sort_time=_NO_TIME if sort_time is None else float(sort_time),
            words=f" {' '.join(_fold(name[:INDEXED_CHARACTERS])[:INDEXED_WORDS])} ",
        )

    def rank_row(self) -> _RankRow:
        return (self.kind, self.in_space, self.sort_time, self.words, self.id)

    def word_rows(self) -> list[_WordRow]:
        distinct = sorted(set(self.words.split()))
        return [
            (self.kind, word, self.in_space, self.sort_time, self.words, self.id, previous)
            for previous, word in zip(["", *distinct], distinct, strict=False)
        ]


_COLUMNS = ", ".join(
    f"entities.{column}"
    for column in ("kind", "id", "name", "label", "in_space", "sort_time", "parent_id")
)
_RANK = "in_space DESC, sort_time DESC, words, id"
_ORDER = f"whole DESC, first DESC, {_RANK}"
_UPSERT = (
    "INSERT INTO entities (kind, id, name, label, in_space, sort_time, parent_id,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (kind, id) DO UPDATE SET "
    "name = excluded.name, label = excluded.label, "
    "in_space = COALESCE(excluded.in_space, entities.in_space), "
    "sort_time = COALESCE(excluded.sort_time, entities.sort_time), "
    "parent_id = COALESCE(excluded.parent_id, entities.parent_id), "
    "updated_at = excluded.updated_at"
)
_PENDING = (
    "SELECT p.kind, p.id, p.indexed_name, p.indexed_in_space, p.indexed_sort_time,"
    " e.name, e.in_space, e.sort_time FROM entity_words_pending AS p"
    " LEFT JOIN entities AS e ON e.kind = p.kind AND e.id = p.id"
    " WHERE p.kind > ?1 OR (p.kind = ?1 AND p.id > ?2) ORDER BY p.kind, p.id LIMIT ?3"
)
_KEY = "in_space = ? AND sort_time = ? AND words = ? AND id = ?"


def _entity(row: Row) -> Entity:
    in_space = row["in_space"]
    return Entity(
        kind=EntityKind(row["kind"]),
        id=int(row["id"]),
        name=str(row["name"]),
        label=str(row["label"]),
        in_space=None if in_space is None else bool(in_space),
        sort_time=row["sort_time"],
        parent_id=row["parent_id"],
    )


_PARAMS_PER_TERM = 6


@dataclass(frozen=True, slots=True)
class _Term:
    """The parameters of one typed word in `_search_sql` (?3… for the first)."""

    number: int

    @staticmethod
    def params(word: str) -> list[str | None]:
        # A single letter is the start of a word, never a word: "s" should not put
        # every middle initial S. first. A single digit is a number ("Soyuz 5").
        whole = len(word) > 1 or word.isdigit()
        return [
            word,
            _after(word),
            word if whole else None,
            f" {word} " if whole else " \t ",  # `words` holds no tab
            f" {word}",
            _after(f" {word}"),
        ]

    def _at(self, offset: int) -> str:
        return f"?{3 + _PARAMS_PER_TERM * self.number + offset}"

    @property
    def word(self) -> str:
        return self._at(0)

    @property
    def after(self) -> str:
        """The least string past every word starting with `word`."""
        return self._at(1)

    @property
    def exact(self) -> str:
        """`word` if a name having it whole ranks higher, else NULL."""
        return self._at(2)

    @property
    def whole(self) -> str:
        """' word ': in `words` where a name word is `word` (if it counts whole)."""
        return self._at(3)

    @property
    def spaced(self) -> str:
        """' word': in `words` where a name word starts with `word`."""
        return self._at(4)

    @property
    def spaced_after(self) -> str:
        return self._at(5)


@functools.lru_cache(maxsize=_MAX_QUERY_WORDS)
def _search_sql(count: int) -> str:
    """One statement for a search of `count` typed words, longest first: ?1 the kind,
    ?2 the limit, then `_Term.params` of each word."""
    terms = [_Term(number) for number in range(count)]

    def having(chosen: Iterable[_Term]) -> str:
        return "".join(f" AND instr(words, {t.spaced}) > 0" for t in chosen)

    def flag(condition: str) -> str:
        """1 if `condition`, else 0 (PostgreSQL adds no booleans)."""
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def others(term: _Term) -> str:
        return having(t for t in terms if t is not term)

    def keys(own: _Term | None = None, own_whole: str = "") -> str:
        """How well a name matches: how many typed words it has whole, does one start
        the name; `own_whole` says it for `own` more cheaply than looking in `words`."""
        whole = " + ".join(
            own_whole if t is own else flag(f"instr(words, {t.whole}) > 0") for t in terms
        )
        first = " OR ".join(f"(words >= {t.spaced} AND words < {t.spaced_after})" for t in terms)
        return f"id, {whole} AS whole, ({first}) AS first, in_space, sort_time, words"

    # How many name words each typed word starts (up to past `SCAN_LIMIT`).
    counts = " UNION ALL ".join(
        f"SELECT {t.number} AS term, (SELECT count(*) FROM (SELECT 1 FROM entity_words"
        f" WHERE kind = ?1 AND word >= {t.word} AND word < {t.after} LIMIT {SCAN_LIMIT + 1})"
        f" AS starts) AS n"
        for t in terms
    )
    # Names having a typed word whole, the first in rank order for each word.
    whole_hits = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {keys(t, '1')} FROM entity_words WHERE kind = ?1"
        f" AND word = {t.exact}{others(t)} ORDER BY {_RANK}"
        f" LIMIT (SELECT CASE WHEN fewest > {SCAN_LIMIT} THEN ?2 ELSE 0 END FROM plan))"
        f" AS whole{t.number}"
        for t in terms
    )
    # Every name having a word that starts with the rarest word: its first such word
    # (`previous` less than the typed word), which is the typed word itself if it has it.
    scanned = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {keys(t, flag(f'word = {t.exact}'))} FROM entity_words"
        f" WHERE kind = ?1 AND word >= {t.word} AND word < {t.after}"
        f" AND previous < {t.word}{others(t)} ORDER BY {_ORDER}"
        f" LIMIT (SELECT CASE WHEN scan AND rarest = {t.number} THEN ?2 ELSE 0 END"
        f" FROM decision)) AS scanned{t.number}"
        for t in terms
    )
    # A LIMIT of 0 skips a part without reading a row (a WHERE would be tested on each).
    # `plan`: the rarest word; of equally rare ones, the first (the longest).
    return f"""
WITH plan AS MATERIALIZED (
    SELECT n AS fewest, term AS rarest FROM ({counts}) AS counts ORDER BY n, term LIMIT 1
), whole_hits AS MATERIALIZED (
    {whole_hits}
), walked AS MATERIALIZED (
    SELECT {keys()} FROM (
        SELECT id, in_space, sort_time, words FROM entity_ranks WHERE kind = ?1
        ORDER BY {_RANK}
        LIMIT (
            SELECT CASE WHEN fewest > {SCAN_LIMIT}
                AND (SELECT count(DISTINCT id) FROM whole_hits) < ?2
                THEN {WALK_LIMIT} ELSE 0 END
            FROM plan
        )
    ) AS ranked WHERE 1 = 1{having(terms)} LIMIT ?2
), decision AS MATERIALIZED (
    SELECT rarest, fewest <= {SCAN_LIMIT} OR (
        (SELECT count(DISTINCT id) FROM whole_hits) < ?2
        AND (SELECT count(*) FROM walked) < ?2
    ) AS scan
    FROM plan
), scanned AS (
    {scanned}
), hits AS (
    SELECT * FROM scanned
    UNION SELECT * FROM whole_hits WHERE NOT (SELECT scan FROM decision)
    UNION SELECT * FROM walked WHERE NOT (SELECT scan FROM decision)
    ORDER BY {_ORDER} LIMIT ?2
)
SELECT {_COLUMNS} FROM hits JOIN entities ON entities.kind = ?1 AND entities.id = hits.id
ORDER BY hits.whole DESC, hits.first DESC, hits.in_space DESC, hits.sort_time DESC,
    hits.words, hits.id"""


class SearchIndex:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._caught_up = False

    async def upsert(self, entities: Iterable[Entity], now: float) -> None:
        """Add or refresh entities; a known `in_space`/time/parent is kept when the
        new data does not say (a list item often says less than a detail)."""
        rows = [
            (
                e.kind.value,
                e.id,
                _text(e.name),
                _text(e.label)[:100],
                e.in_space,
                e.sort_time,
                e.parent_id,
                now,
            )
            for e in entities
        ]
        if not rows:
            return
        async with self._db.transaction() as transaction:
            await transaction.executemany(_UPSERT, rows)
            await _apply_pending(transaction)
        self._caught_up = True

    async def search(self, kind: EntityKind, text: str, limit: int = 25) -> list[Entity]:
        """At most `limit` best matches for `text`: names having, for each typed word, a
        word starting with it (case, diacritics and word order ignored). First names
        having more typed words whole (a single letter is never whole), then names
        starting with a typed word, then those in space, then the most recent. With no
        words, the entities in space, then the most recent.

        Past `SCAN_LIMIT` (every typed word starting thousands of name words), what is
        so ranked is not every match but, for each typed word, the first `limit`
        matches in rank order having it whole, and the first `limit` matches in rank
        order."""
        if limit <= 0:
            return []
        await self._catch_up()
        words = sorted(dict.fromkeys(_fold(text)[:_MAX_QUERY_WORDS]), key=len, reverse=True)
        if not words:
            rows = await self._db.fetchall(
                f"SELECT {_COLUMNS} FROM (SELECT id, in_space, sort_time, words"
                f" FROM entity_ranks WHERE kind = ? ORDER BY {_RANK} LIMIT ?) AS hits"
                " JOIN entities ON entities.kind = ? AND entities.id = hits.id"
                " ORDER BY hits.in_space DESC, hits.sort_time DESC, hits.words, hits.id",
                (kind.value, limit, kind.value),
            )
        else:
            params: list[object] = [kind.value, limit]
            for word in words:
                params += _Term.params(word)
            rows = await self._db.fetchall(_search_sql(len(words)), params)
        return [_entity(row) for row in rows]

    async def get(self, kind: EntityKind, entity_id: int) -> Entity | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM entities WHERE kind = ? AND id = ?",
            (kind.value, entity_id),
        )
        return None if row is None else _entity(row)

    async def highest_id(self, kind: EntityKind) -> int | None:
        row = await self._db.fetchone(
            "SELECT MAX(id) AS id FROM entities WHERE kind = ?", (kind.value,)
        )
        return None if row is None or row["id"] is None else int(row["id"])

    async def in_space(self, kind: EntityKind) -> list[Entity]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM entities WHERE kind = ? AND in_space = 1 "
            "ORDER BY sort_time DESC",
            (kind.value,),
        )
        return [_entity(row) for row in rows]

    async def flight_ids(
        self, spacecraft_id: int | None, offset: int, limit: int
    ) -> tuple[list[int], int]:
        """Flight ids `offset` to `offset + limit` (of one spacecraft, or all), in id
        order as LL2 lists them, and the total."""
        where = "kind = ?"
        params: tuple[object, ...] = (EntityKind.FLIGHT.value,)
        if spacecraft_id is not None:
            where += " AND parent_id = ?"
            params += (spacecraft_id,)
        counted = await self._db.fetchone(
            f"SELECT COUNT(*) AS n FROM entities WHERE {where}", params
        )
        rows = await self._db.fetchall(
            f"SELECT id FROM entities WHERE {where} ORDER BY id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [int(row["id"]) for row in rows], int(counted["n"]) if counted else 0

    async def count(self, kind: EntityKind) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM entities WHERE kind = ?", (kind.value,)
        )
        return int(row["n"]) if row else 0

    async def _catch_up(self) -> None:
        """Once per instance: index what an older version or a migration left pending
        (every write after that indexes its own entities)."""
        if self._caught_up:
            return
        row = await self._db.fetchone(
            "SELECT EXISTS (SELECT 1 FROM entity_words_pending) AS pending"
        )
        if row is not None and row["pending"]:
            try:
                async with self._db.transaction() as transaction:
                    await _apply_pending(transaction)
            except StorageError:
                pass  # logged by the database; searched as it is, indexed at the next write
        self._caught_up = True


def _text(text: str) -> str:
    """`text` as both databases can hold it: JSON may carry U+0000, which PostgreSQL's
    text cannot (and which would split a word in two)."""
    return text.replace("\x00", "")


async def _apply_pending(transaction: Transaction) -> None:
    """Bring the search tables in line with `entities` for every pending entity, in the
    caller's write transaction, `_PENDING_BATCH` at a time in key order."""
    seen = False
    after: tuple[str, int] = ("", 0)
    while batch := await transaction.fetchall(_PENDING, (*after, _PENDING_BATCH)):
        seen = True
        await _reindex(transaction, batch)
        after = (str(batch[-1][0]), int(batch[-1][1]))
    if seen:
        await transaction.execute("DELETE FROM entity_words_pending")


async def _reindex(transaction: Transaction, pending: Iterable[Row]) -> None:
    removed_words: list[_WordRow] = []
    removed_ranks: list[_RankRow] = []
    added_words: list[_WordRow] = []
    added_ranks: list[_RankRow] = []
    for row in pending:
        kind, entity_id = str(row[0]), int(row[1])
        old = None if row[2] is None else _Indexed.of(kind, entity_id, row[2], row[3], row[4])
        new = None if row[5] is None else _Indexed.of(kind, entity_id, row[5], row[6], row[7])
        if old == new:
            continue
        if old is not None:
            removed_words += old.word_rows()
            removed_ranks.append(old.rank_row())
        if new is not None:
            added_words += new.word_rows()
            added_ranks.append(new.rank_row())
    await transaction.executemany(
        f"DELETE FROM entity_words WHERE kind = ? AND word = ? AND {_KEY}",
        [key[:6] for key in removed_words],
    )
    await transaction.executemany(
        f"DELETE FROM entity_ranks WHERE kind = ? AND {_KEY}", removed_ranks
    )
    # In key order: each insert lands next to the one before, not on a random page.
    added_words.sort(key=itemgetter(0, 1))
    # A row already there is the same row: `previous` follows from the key's `words`.
    await transaction.executemany(
        "INSERT INTO entity_words (kind, word, in_space, sort_time, words, id, previous)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        added_words,
    )
    await transaction.executemany(
        "INSERT INTO entity_ranks (kind, in_space, sort_time, words, id)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        added_ranks,
    )
