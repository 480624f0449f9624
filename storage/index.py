"""The local index of astronauts, spacecraft and flights, with FTS5 name search.

Fed by every LL2 response that passes through and by the catalog sync, read by
autocomplete (which must answer instantly and never asks LL2).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from storage.database import Database

_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_QUERY_WORDS = 8


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


def fts_query(text: str) -> str | None:
    """User text as an FTS5 query: each word a quoted prefix term, all required.

    Only runs of letters and digits survive, so quotes, `*`, `-`, parentheses and
    operators such as NEAR or OR reach FTS5 as plain words, never as syntax.
    """
    words = _WORD.findall(text)[:_MAX_QUERY_WORDS]
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


_COLUMNS = ", ".join(
    f"entities.{column}"
    for column in ("kind", "id", "name", "label", "in_space", "sort_time", "parent_id")
)


def _entity(row: sqlite3.Row) -> Entity:
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


class SearchIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(self, entities: Iterable[Entity], now: float) -> None:
        """Add or refresh entities; a known `in_space`/time/parent is kept when the
        new data does not say (a list item often says less than a detail)."""
        rows = [
            (e.kind.value, e.id, e.name, e.label[:100], e.in_space, e.sort_time, e.parent_id, now)
            for e in entities
        ]
        if not rows:
            return
        await self._db.executemany(
            "INSERT INTO entities (kind, id, name, label, in_space, sort_time, parent_id,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, id) DO UPDATE SET "
            "name = excluded.name, label = excluded.label, "
            "in_space = COALESCE(excluded.in_space, entities.in_space), "
            "sort_time = COALESCE(excluded.sort_time, entities.sort_time), "
            "parent_id = COALESCE(excluded.parent_id, entities.parent_id), "
            "updated_at = excluded.updated_at",
            rows,
        )

    async def search(self, kind: EntityKind, text: str, limit: int = 25) -> list[Entity]:
        """Best matches for `text` (case, diacritics and word order ignored; prefixes
        match); with no words, the entities in space and then the most recent."""
        query = fts_query(text)
        if query is None:
            rows = await self._db.fetchall(
                f"SELECT {_COLUMNS} FROM entities WHERE kind = ? "
                "ORDER BY COALESCE(in_space, 0) DESC, sort_time DESC, entities.name LIMIT ?",
                (kind.value, limit),
            )
        else:
            rows = await self._db.fetchall(
                f"SELECT {_COLUMNS} FROM entities_fts "
                "JOIN entities ON entities.rowid = entities_fts.rowid "
                "WHERE entities_fts MATCH ? AND entities.kind = ? "
                "ORDER BY bm25(entities_fts), entities.sort_time DESC LIMIT ?",
                (query, kind.value, limit),
            )
        return [_entity(row) for row in rows]

    async def get(self, kind: EntityKind, entity_id: int) -> Entity | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM entities WHERE kind = ? AND id = ?",
            (kind.value, entity_id),
        )
        return None if row is None else _entity(row)

    async def in_space(self, kind: EntityKind) -> list[Entity]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM entities WHERE kind = ? AND in_space = 1 "
            "ORDER BY sort_time DESC",
            (kind.value,),
        )
        return [_entity(row) for row in rows]

    async def count(self, kind: EntityKind) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM entities WHERE kind = ?", (kind.value,)
        )
        return int(row["n"]) if row else 0
