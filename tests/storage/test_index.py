from __future__ import annotations

import pytest

from storage.database import Database
from storage.index import Entity, EntityKind, SearchIndex, fts_query

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


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('NEAR("de" win*') == '"NEAR"* "de"* "win"*'
    assert fts_query("  ** -- ") is None


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
