"""The document cache: LL2 responses as they were sent, with when they were fetched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.database import Database

_LAST_CHARACTER = "\U0010ffff"
"""Sorts after every character a key has: `prefix` to `prefix + _LAST_CHARACTER` is every
key starting with `prefix`."""
MISSING_PREFIX = "missing:"
"""`missing:<key>` notes that LL2 answered 404 for `<key>` at `fetched_at` (empty body)."""
_LL2_DOCUMENTS = f"key NOT LIKE '{MISSING_PREFIX}%'"


@dataclass(frozen=True, slots=True)
class Document:
    key: str
    body: str
    fetched_at: float


class DocumentCache:
    """Keyed by a version-neutral resource key such as `flight:219`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> Document | None:
        row = await self._db.fetchone(
            "SELECT key, body, fetched_at FROM documents WHERE key = ?", (key,)
        )
        if row is None:
            return None
        return Document(key=row["key"], body=row["body"], fetched_at=row["fetched_at"])

    async def put(self, key: str, body: str, fetched_at: float) -> None:
        await self._db.execute(
            "INSERT INTO documents (key, body, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET"
            " body = excluded.body, fetched_at = excluded.fetched_at",
            (key, body, fetched_at),
        )

    async def put_many(self, documents: list[Document]) -> None:
        """Store several documents at once; a copy fetched later is never overwritten."""
        await self._db.executemany(
            "INSERT INTO documents (key, body, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET"
            " body = excluded.body, fetched_at = excluded.fetched_at"
            " WHERE excluded.fetched_at >= documents.fetched_at",
            [(d.key, d.body, d.fetched_at) for d in documents],
        )

    async def prune(self, prefixes: Iterable[str], fetched_before: float) -> int:
        """Delete the documents whose key starts with one of `prefixes` and that were
        fetched before `fetched_before` (UNIX time); how many went. Each prefix is a
        range of the key index: no other document is read."""
        deleted = 0
        async with self._db.transaction() as transaction:
            for prefix in prefixes:
                deleted += await transaction.execute(
                    "DELETE FROM documents WHERE key >= ? AND key < ? AND fetched_at < ?",
                    (prefix, prefix + _LAST_CHARACTER, fetched_before),
                )
        return deleted

    async def newest_fetch(self) -> float | None:
        row = await self._db.fetchone(
            f"SELECT MAX(fetched_at) AS newest FROM documents WHERE {_LL2_DOCUMENTS}"
        )
        return None if row is None or row["newest"] is None else float(row["newest"])

    async def count(self) -> int:
        row = await self._db.fetchone(f"SELECT COUNT(*) AS n FROM documents WHERE {_LL2_DOCUMENTS}")
        return int(row["n"]) if row else 0
