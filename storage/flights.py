"""The flights the local index knows, listed the way LL2 lists them (by id)."""

from __future__ import annotations

from storage.database import Database
from storage.index import EntityKind


class FlightListing:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def page(
        self, spacecraft_id: int | None, offset: int, limit: int
    ) -> tuple[list[int], int]:
        """Flight ids `offset` to `offset + limit` (of one spacecraft, or all) and the total."""
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
