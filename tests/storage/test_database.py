from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.database import Database, StorageError, migrations
from storage.state import StateStore


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [number for number, _, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


async def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "capcom.db"
    async with Database(path) as db:
        await StateStore(db).set("commands", "abc")
    async with Database(path) as db:
        assert await StateStore(db).get("commands") == "abc"
        row = await db.fetchone("PRAGMA user_version")
        assert row is not None and row[0] == len(migrations())
        journal = await db.fetchone("PRAGMA journal_mode")
        assert journal is not None and journal[0] == "wal"


async def test_every_commit_is_synced_to_disk(db: Database) -> None:
    """synchronous=FULL: with NORMAL, a power loss can undo the last commits, among them
    the alert ledger's attempt count raised just before a send (then the duplicate
    guard does not know the alert may have gone out)."""
    async with db.transaction() as connection:
        row = await (await connection.execute("PRAGMA synchronous")).fetchone()
    assert row is not None and row[0] == 2  # FULL


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    store = StateStore(db)
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as connection:
            await connection.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
            await connection.execute("INSERT INTO bot_state (key, value) VALUES ('a', '2')")
    assert await store.get("a") is None


async def test_an_unusable_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot open the database"):
        async with Database(blocker / "capcom.db"):
            pass
