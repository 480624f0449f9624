"""A small key-value store for facts the bot keeps between runs."""

from __future__ import annotations

from collections.abc import Iterable

from storage.database import Database


class StateStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM bot_state WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def get_ids(self, key: str) -> frozenset[int]:
        """A set of ids kept under `key` (empty if none)."""
        value = await self.get(key)
        return frozenset(int(part) for part in value.split(",") if part) if value else frozenset()

    async def set_ids(self, key: str, ids: Iterable[int]) -> None:
        await self.set(key, ",".join(str(number) for number in sorted(ids)))
