from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest

import storage.index as index_module
from storage.database import Database, migrations
from storage.index import Entity, EntityKind, SearchIndex
from storage.sqlite import SqliteDatabase, statements

pytestmark = pytest.mark.every_backend

NAMES = [
    (233, "Roman Romanenko"),
    (1, "Frank De Winne"),
    (2, "Léopold Eyharts"),
    (3, "Jean-Loup Chrétien"),
    (4, "Robert L. Behnken"),
]


@pytest.fixture
async def index(db: Database) -> SearchIndex:
    search = SearchIndex(db)
    await search.upsert([Entity(EntityKind.ASTRONAUT, i, name, name) for i, name in NAMES], now=0.0)
    return search


async def names(index: SearchIndex, text: str) -> list[str]:
    return [entity.name for entity in await index.search(EntityKind.ASTRONAUT, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roma", "Roman Romanenko"),
        ("ROMANENKO", "Roman Romanenko"),
        ("de win", "Frank De Winne"),
        ("winne de", "Frank De Winne"),
        ("leopold", "Léopold Eyharts"),
        ("LÉOP", "Léopold Eyharts"),
        ("chretien", "Jean-Loup Chrétien"),
        ("jean loup", "Jean-Loup Chrétien"),
        ("behnken", "Robert L. Behnken"),
    ],
)
async def test_names_are_found_by_prefix_ignoring_case_and_diacritics(
    index: SearchIndex, text: str, expected: str
) -> None:
    assert (await names(index, text))[0] == expected


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ('"', "everyone"),
        ('""', "everyone"),
        ("*", "everyone"),
        ("\x00", "everyone"),
        ("🚀", "everyone"),
        ("roma*", "roman"),
        ('"roma', "roman"),
        ("(roma", "roman"),
        ("roma)", "roman"),
        ("-roma", "roman"),
        ("^roma", "roman"),
        ("NEAR(roma de)", "nobody"),
        ("roma OR de", "nobody"),
        ("roma AND", "nobody"),
        ("NOT", "nobody"),
        ("name:roma", "nobody"),
        ("'; DROP TABLE entities; --", "nobody"),
    ],
)
async def test_hostile_text_is_plain_words_never_fts_syntax(
    index: SearchIndex, hostile: str, expected: str
) -> None:
    """Operators are words a name must contain ('roma OR de' finds nobody); text
    with no words at all lists everyone, like an empty autocomplete box."""
    result = await names(index, hostile)
    if expected == "everyone":
        assert sorted(result) == sorted(name for _, name in NAMES)
    elif expected == "roman":
        assert result == ["Roman Romanenko"]
    else:
        assert result == []
    assert await index.count(EntityKind.ASTRONAUT) == len(NAMES)


async def test_empty_text_lists_in_space_first(db: Database) -> None:
    search = SearchIndex(db)
    await search.upsert(
        [
            Entity(EntityKind.ASTRONAUT, 1, "Old Timer", "Old Timer", in_space=False, sort_time=5),
            Entity(EntityKind.ASTRONAUT, 2, "Up There", "Up There", in_space=True, sort_time=1),
        ],
        now=0.0,
    )
    assert [e.name for e in await search.search(EntityKind.ASTRONAUT, "")] == [
        "Up There",
        "Old Timer",
    ]


async def test_upsert_renames_and_keeps_what_a_list_item_does_not_say(db: Database) -> None:
    search = SearchIndex(db)
    await search.upsert(
        [Entity(EntityKind.FLIGHT, 7, "Soyuz", "Soyuz", in_space=True, parent_id=78)], now=0.0
    )
    await search.upsert([Entity(EntityKind.FLIGHT, 7, "Soyuz TMA-15", "Soyuz TMA-15")], now=1.0)
    entity = await search.get(EntityKind.FLIGHT, 7)
    assert entity is not None
    assert (entity.name, entity.in_space, entity.parent_id) == ("Soyuz TMA-15", True, 78)
    assert [e.id for e in await search.search(EntityKind.FLIGHT, "tma")] == [7]
    assert await search.search(EntityKind.FLIGHT, "soyuz tmx") == []


# Ranking, against a model of it written out in Python.

_FIRST = ["Ivan", "Ivana", "Li", "Lin", "Léopold", "Łukasz", "Jean-Loup", "Ana", "Anaïs", "Sergey"]
_LAST = ["Ivanov", "Li", "Lindqvist", "Eyharts", "O'Connor", "De Winne", "Strauß", "Şahin"]
_LAST += ["Nguyễn", "Ivanova"]


def _generated(rng: random.Random, count: int) -> list[Entity]:
    """Names sharing words and prefixes, some in space, recency with ties and gaps."""
    taken: set[str] = set()
    entities: list[Entity] = []
    while len(entities) < count:
        words = [rng.choice(_FIRST), *rng.sample(_LAST, rng.choice((1, 1, 2)))]
        if rng.random() < 0.2:
            words.append(f"TMA-{rng.randrange(30)}")
        if rng.random() < 0.2:
            rng.shuffle(words)
        name = " ".join(words)
        if name not in taken:
            taken.add(name)
            in_space = rng.choice((None, False, False, True))
            sort_time = rng.choice((None, float(rng.randrange(50))))
            entities.append(
                Entity(EntityKind.ASTRONAUT, len(entities) + 1, name, name, in_space, sort_time)
            )
    return entities


def _typed(rng: random.Random, entities: Sequence[Entity]) -> Iterator[str]:
    yield from ["", "i", "l", "li", "LI", "ivan", "ivano", "lé", "luk", "de", "de w", "winne de"]
    yield from ["tma 1", "zz", "ivan li", "li li", "o conn", "strauss", "sahin", "nguyen", "a n"]
    for _ in range(60):
        words = rng.choice(entities).name.replace("-", " ").split()
        chosen = rng.sample(words, min(len(words), rng.choice((1, 1, 2))))
        yield " ".join(word[: rng.randint(1, len(word))] for word in chosen)


def _words(name: str) -> list[str]:
    return index_module._fold(name)


def _rank(entity: Entity) -> tuple[int, float, str, int]:
    """In space, most recent, then name (folded) and id."""
    sort_time = float("-inf") if entity.sort_time is None else entity.sort_time
    folded = f" {' '.join(_words(entity.name))} "
    return (-int(bool(entity.in_space)), -sort_time, folded, entity.id)


def counts_whole(word: str) -> bool:
    """A single letter is the start of a word, not a word; a single digit is a number."""
    return len(word) > 1 or word.isdigit()


def _model(entities: Sequence[Entity], text: str, limit: int, scan: int, walk: int) -> list[int]:
    """What `SearchIndex.search` answers, by the rules its docstring gives."""
    typed = list(dict.fromkeys(_words(text)[:8]))
    if not typed:
        return [e.id for e in sorted(entities, key=_rank)[:limit]]

    def key(entity: Entity) -> tuple[object, ...]:
        words = _words(entity.name)
        whole = sum(1 for word in typed if word in words and counts_whole(word))
        first = any(words[0].startswith(word) for word in typed)
        return (-whole, -int(first), *_rank(entity))

    def best(found: Iterable[Entity]) -> list[int]:
        return [e.id for e in sorted(found, key=key)[:limit]]

    matches = sorted(
        (e for e in entities if all(any(w.startswith(t) for w in _words(e.name)) for t in typed)),
        key=_rank,
    )
    starting = [
        sum(1 for e in entities for w in set(_words(e.name)) if w.startswith(t)) for t in typed
    ]
    if min(starting) <= scan:
        return best(matches)
    candidates = {
        e.id: e
        for t in typed
        if counts_whole(t)
        for e in [m for m in matches if t in _words(m.name)][:limit]
    }
    if len(candidates) < limit:
        walked_ids = {e.id for e in sorted(entities, key=_rank)[:walk]}
        walked = [m for m in matches if m.id in walked_ids][:limit]
        if len(walked) < limit:
            return best(matches)
        candidates |= {e.id: e for e in walked}
    return best(candidates.values())


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Small SCAN_LIMIT and WALK_LIMIT, so that a small index takes every path."""
    monkeypatch.setattr(index_module, "SCAN_LIMIT", 12)
    monkeypatch.setattr(index_module, "WALK_LIMIT", 40)
    index_module._search_sql.cache_clear()
    yield
    index_module._search_sql.cache_clear()


@pytest.mark.parametrize("small_limits", [False, True], ids=["all read", "read in rank order"])
async def test_ranking_follows_the_model(
    db: Database, request: pytest.FixtureRequest, small_limits: bool
) -> None:
    if small_limits:
        request.getfixturevalue("limits")
    rng = random.Random(7)
    entities = _generated(rng, 150)
    search = SearchIndex(db)
    await search.upsert(entities, now=0.0)
    for text in _typed(rng, entities):
        for limit in (1, 5, 25):
            expected = _model(
                entities, text, limit, index_module.SCAN_LIMIT, index_module.WALK_LIMIT
            )
            found = [e.id for e in await search.search(EntityKind.ASTRONAUT, text, limit)]
            assert found == expected, (text, limit)


async def test_a_whole_word_then_the_start_of_the_name_then_in_space_then_recent(
    db: Database,
) -> None:
    search = SearchIndex(db)
    people = [
        (1, "Yuri Ivanov", None, 40.0),
        (2, "Ivanka Petrova", None, 30.0),
        (3, "Oleg Ivan Petrov", None, 10.0),
        (4, "Ivan Serov", None, 20.0),
        (5, "Ivanov Ivanovich", True, 5.0),
        (6, "Pyotr Ivanishin", True, None),
    ]
    await search.upsert(
        [Entity(EntityKind.ASTRONAUT, i, n, n, s, t) for i, n, s, t in people], now=0.0
    )
    found = [e.id for e in await search.search(EntityKind.ASTRONAUT, "ivan")]
    # "Ivan" whole (starting the name first), then names starting with "ivan…" (in
    # space first, then recent), then the rest (in space first, then recent).
    assert found == [4, 3, 5, 2, 6, 1]
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "ivan", 2)] == [4, 3]
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "petrov ivan")] == [3, 2]


async def test_letters_without_a_decomposition_are_folded_too(db: Database) -> None:
    search = SearchIndex(db)
    yildirim = "Y{0}ld{0}r{0}m".format("\N{LATIN SMALL LETTER DOTLESS I}")
    people = ["Łukasz Nowak", "Søren Strauß", "Nguyễn Thị Ánh", f"Şebnem {yildirim}"]
    await search.upsert(
        [Entity(EntityKind.ASTRONAUT, i, n, n) for i, n in enumerate(people)], now=0.0
    )
    for text, expected in [
        ("lukasz", "Łukasz Nowak"),
        ("ŁUK", "Łukasz Nowak"),
        ("soren strauss", "Søren Strauß"),
        ("straus", "Søren Strauß"),
        ("nguyen anh", "Nguyễn Thị Ánh"),
        ("yildirim", f"Şebnem {yildirim}"),
    ]:
        assert await names(search, text) == [expected], text


async def test_no_more_than_the_limit(db: Database) -> None:
    search = SearchIndex(db)
    await search.upsert(
        [Entity(EntityKind.FLIGHT, i, f"Soyuz TMA-{i}", f"Soyuz TMA-{i}") for i in range(60)],
        now=0.0,
    )
    assert len(await search.search(EntityKind.FLIGHT, "soyuz")) == 25
    assert len(await search.search(EntityKind.FLIGHT, "so", 3)) == 3
    assert await search.search(EntityKind.FLIGHT, "soyuz", 0) == []
    assert await search.search(EntityKind.ASTRONAUT, "soyuz") == []
    # More typed words whole first: "TMA-1" itself, then TMA-10…19 by name (no dates).
    assert [e.id for e in await search.search(EntityKind.FLIGHT, "soyuz tma 1", 3)] == [1, 10, 11]


async def test_empty_text_lists_in_space_then_most_recent_then_by_name(db: Database) -> None:
    search = SearchIndex(db)
    rows = [(1, "Zed", None, None), (2, "Abe", False, None), (3, "Old", False, 1.0)]
    rows += [(4, "New", None, 9.0), (5, "Up", True, 0.5)]
    await search.upsert(
        [Entity(EntityKind.SPACECRAFT, i, n, n, s, t) for i, n, s, t in rows], now=0.0
    )
    found = [e.id for e in await search.search(EntityKind.SPACECRAFT, "")]
    assert found == [5, 4, 3, 2, 1]


async def test_changes_reorder_and_renames_and_deletions_are_searched(db: Database) -> None:
    search = SearchIndex(db)
    await search.upsert(
        [
            Entity(EntityKind.ASTRONAUT, 1, "Anna Kikina", "Anna Kikina", False, 1.0),
            Entity(EntityKind.ASTRONAUT, 2, "Anne McClain", "Anne McClain", False, 2.0),
        ],
        now=0.0,
    )
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "ann")] == [2, 1]
    await search.upsert([Entity(EntityKind.ASTRONAUT, 1, "Anna Kikina", "A", True)], now=1.0)
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "ann")] == [1, 2]
    await search.upsert([Entity(EntityKind.ASTRONAUT, 2, "Jessica Watkins", "J")], now=2.0)
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "ann")] == [1]
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "watk")] == [2]
    assert await search.search(EntityKind.ASTRONAUT, "mccl") == []
    # Written behind the index's back: searched right after the next write.
    await db.execute("DELETE FROM entities WHERE id = 1")
    await db.execute("UPDATE entities SET in_space = 1, name = 'Jessica W. Watkins' WHERE id = 2")
    await search.upsert([Entity(EntityKind.ASTRONAUT, 3, "Ann Other", "Ann Other")], now=3.0)
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "ann")] == [3]
    assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "w")] == [2]
    entity = await search.get(EntityKind.ASTRONAUT, 2)
    assert entity is not None and entity.in_space is True


async def test_entities_indexed_before_the_word_tables_are_searched(tmp_path: Path) -> None:
    """A database from before migration 0004 (FTS5 only) is indexed at the first search."""
    path = tmp_path / "capcom.db"
    connection = sqlite3.connect(path, isolation_level=None)
    for number, _name, sql in migrations()[:3]:
        for statement in statements(sql):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {number}")
    connection.executemany(
        "INSERT INTO entities (kind, id, name, label, in_space, sort_time, updated_at)"
        " VALUES ('astronaut', ?, ?, ?, ?, ?, 0)",
        [(i, name, name, i == 2, float(i)) for i, name in NAMES],
    )
    connection.close()
    async with SqliteDatabase(path) as db:
        search = SearchIndex(db)
        assert await names(search, "roma") == ["Roman Romanenko"]
        assert (await names(search, ""))[:2] == ["Léopold Eyharts", "Roman Romanenko"]
        assert await db.fetchone("SELECT 1 FROM entity_words_pending") is None
        tables = await db.fetchall("SELECT name FROM sqlite_master WHERE name LIKE '%fts%'")
        assert tables == []


async def test_a_hostile_name_indexes_a_bounded_prefix(tmp_path: Path) -> None:
    """One 47 KB name of 8,000 words stored its whole folded name once per word (8,000
    rows of 47 KB: 398 MB). Only its first words, from its first characters, are indexed."""
    path = tmp_path / "hostile.db"
    words = [f"w{number:04d}x" for number in range(8_000)]
    name = " ".join(words)
    async with SqliteDatabase(path) as db:
        search = SearchIndex(db)
        await search.upsert([Entity(EntityKind.ASTRONAUT, 7, name, name[:100])], now=0.0)
        rows = await db.fetchone(
            "SELECT count(*) AS n, max(length(words)) AS longest FROM entity_words"
        )
        assert rows is not None
        assert rows["n"] <= 16
        assert rows["longest"] <= 256 + 2
        assert [e.id for e in await search.search(EntityKind.ASTRONAUT, "w0001x w0000")] == [7]
        assert await search.search(EntityKind.ASTRONAUT, words[-1]) == []
        # Renamed: the rows of the old name go, the new name is found.
        await search.upsert([Entity(EntityKind.ASTRONAUT, 7, "Valentina", "Valentina")], now=1.0)
        rows = await db.fetchone("SELECT count(*) AS n FROM entity_words")
        assert rows is not None and rows["n"] == 1
    assert path.stat().st_size < 1_000_000


async def test_a_name_with_a_nul_character_is_indexed_without_it(db: Database) -> None:
    """JSON may carry U+0000 (`\\u0000`); PostgreSQL text cannot hold it."""
    search = SearchIndex(db)
    await search.upsert([Entity(EntityKind.ASTRONAUT, 7, "Val\x00entina", "Val\x00entina")], 0.0)
    [found] = await search.search(EntityKind.ASTRONAUT, "valentina")
    assert (found.name, found.label) == ("Valentina", "Valentina")


async def test_flights_are_listed_by_id_for_all_or_one_spacecraft(db: Database) -> None:
    await SearchIndex(db).upsert(
        [
            Entity(EntityKind.FLIGHT, flight_id, f"Flight {flight_id}", "x", parent_id=craft)
            for flight_id, craft in [(3, 78), (1, 78), (2, 90), (4, None)]
        ],
        now=1_800_000_000.0,
    )
    index = SearchIndex(db)
    assert await index.flight_ids(None, 0, 10) == ([1, 2, 3, 4], 4)
    assert await index.flight_ids(78, 1, 10) == ([3], 2)
