"""A failing SQLite database: full disk, a failed commit, the file deleted (a lock held
by another process: `test_database.py`). Each failure is a `StorageError` logged in one
line, reads go on, and the database works again once the cause is gone."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from storage.database import StorageError
from storage.documents import DocumentCache
from storage.sqlite import SqliteDatabase
from tests.storage.problems import storage_lines

BIG = "x" * 20_000


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SqliteDatabase]:
    async with SqliteDatabase(tmp_path / "capcom.db") as database:
        yield database


async def test_a_full_disk_is_one_log_line_and_reads_go_on(
    db: SqliteDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    cache = DocumentCache(db)
    await cache.put("flight:219", "{}", 1.0)
    pages = await db.fetchone("PRAGMA page_count")
    assert pages is not None
    await db.execute(f"PRAGMA max_page_count = {int(pages[0])}")  # SQLITE_FULL past it

    for n in range(3):
        with pytest.raises(StorageError, match="the disk is full"):
            await cache.put(f"flight:{n}", BIG, 2.0)
    with pytest.raises(StorageError, match="the disk is full"):
        async with db.transaction() as connection:
            await connection.execute(
                "INSERT INTO documents (key, body, fetched_at) VALUES ('a', ?, 3)", (BIG,)
            )
    assert len(storage_lines(caplog)) == 1
    assert "the disk is full" in storage_lines(caplog)[0]
    assert str(db.path) in storage_lines(caplog)[0]
    document = await cache.get("flight:219")
    assert document is not None and document.body == "{}"

    await db.execute("PRAGMA max_page_count = 1073741823")
    await cache.put("flight:1", BIG, 4.0)
    assert await cache.count() == 2


async def test_a_failed_commit_is_rolled_back(
    db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite leaves a transaction open when COMMIT fails (disk full while writing the
    WAL): it must be rolled back, or every later BEGIN would fail."""
    connection = db.connection
    execute = connection.execute
    failures = [sqlite3.OperationalError("disk I/O error")]
    failures[0].sqlite_errorname = "SQLITE_IOERR_WRITE"

    def failing_commit(sql: str, parameters: Any = None) -> Any:
        if sql == "COMMIT" and failures:
            raise failures.pop()
        return execute(sql, parameters)

    monkeypatch.setattr(connection, "execute", failing_commit)
    cache = DocumentCache(db)
    with pytest.raises(StorageError, match="writing to the disk failed"):
        async with db.transaction() as transaction:
            await transaction.execute(
                "INSERT INTO documents (key, body, fetched_at) VALUES ('a', '{}', 1)"
            )
    assert not connection.in_transaction
    assert await cache.get("a") is None
    async with db.transaction() as transaction:
        await transaction.execute(
            "INSERT INTO documents (key, body, fetched_at) VALUES ('b', '{}', 1)"
        )
    assert await cache.get("b") is not None
    assert len(storage_lines(caplog)) == 1


async def test_a_deleted_file_is_reported_once_and_work_goes_on(
    db: SqliteDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    cache = DocumentCache(db)
    await cache.put("flight:219", "{}", 1.0)
    for path in db.path.parent.glob(db.path.name + "*"):
        path.unlink()
    for n in range(3):
        await cache.put(f"flight:{n}", "{}", 2.0)
    assert await cache.count() == 4
    lines = storage_lines(caplog)
    assert len(lines) == 1 and "was deleted or replaced while Capcom was running" in lines[0]


async def test_a_programming_error_is_not_a_storage_failure(
    db: SqliteDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await db.fetchone("SELECT nothing FROM nowhere")
    assert storage_lines(caplog) == []
