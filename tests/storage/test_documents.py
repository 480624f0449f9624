"""The document cache on a real SQLite file: what is pruned and what is kept."""

from __future__ import annotations

from pathlib import Path

from storage.database import Database
from storage.documents import Document, DocumentCache

DAY = 86_400.0
NOW = 1_800_000_000.0


async def test_prune_deletes_old_documents_under_the_prefixes_only(tmp_path: Path) -> None:
    async with Database(tmp_path / "capcom.db") as db:
        cache = DocumentCache(db)
        await cache.put_many(
            [
                Document("astronauts:limit=100:offset=0:search=zz" + "z" * 90, "{}", NOW - 9 * DAY),
                Document("astronauts:limit=100:offset=0:search=new", "{}", NOW - DAY),
                Document("flights:limit=100:offset=900:spacecraft=123456", "{}", NOW - 9 * DAY),
                Document("astronaut:545", "{}", NOW - 90 * DAY),
                Document("flight:219", "{}", NOW - 90 * DAY),
                Document("throttle", "{}", NOW - 90 * DAY),
            ]
        )
        pruned = await cache.prune(("astronauts:", "flights:"), NOW - 7 * DAY)
        assert pruned == 2
        kept = await db.fetchall("SELECT key FROM documents ORDER BY key")
        assert [row["key"] for row in kept] == [
            "astronaut:545",
            "astronauts:limit=100:offset=0:search=new",
            "flight:219",
            "throttle",
        ]
        assert await cache.prune(("astronauts:", "flights:"), NOW - 7 * DAY) == 0
