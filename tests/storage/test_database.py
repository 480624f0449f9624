from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from storage.database import SQLITE_SCHEME, Database, StorageError, migrations
from storage.documents import Document, DocumentCache
from storage.open import open_database
from storage.postgres import WRITE_LOCK, PostgresDatabase, to_postgres
from storage.sqlite import SqliteDatabase
from storage.state import StateStore
from tests.conftest import opened_together
from tests.storage.problems import storage_lines

pytestmark = pytest.mark.every_backend


def test_migrations_are_numbered_without_gaps_and_the_same_for_both_backends() -> None:
    numbers = [number for number, _, _ in migrations("sqlite")]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [number for number, _, _ in migrations("postgresql")] == numbers


def test_postgresql_gets_8_byte_numbers() -> None:
    """PostgreSQL's REAL is 4 bytes: a UNIX time in it is off by up to a minute."""
    for _number, name, sql in migrations("postgresql"):
        assert " REAL" not in sql.upper() and " INTEGER " not in sql.upper(), name


def test_placeholders_become_numbered_outside_literals_and_comments() -> None:
    assert to_postgres("SELECT ? , '?', \"a?\" -- why?\n, ?") == (
        "SELECT $1 , '?', \"a?\" -- why?\n, $2"
    )
    assert to_postgres("WHERE a = ?1 AND b LIKE 'it''s ?' AND c = ?2 OR d = ?1") == (
        "WHERE a = $1 AND b LIKE 'it''s ?' AND c = $2 OR d = $1"
    )


async def test_reopening_keeps_data_and_does_not_migrate_twice(database_url: str) -> None:
    async with open_database(database_url) as db:
        await StateStore(db).set("commands", "abc")
    async with open_database(database_url) as db:
        assert await StateStore(db).get("commands") == "abc"


async def test_processes_starting_together_migrate_once(database_url: str) -> None:
    """Two processes opening a new database at once: one migrates, the other waits and
    finds the schema done (PostgreSQL: an advisory lock; SQLite: its write lock)."""
    async with opened_together(database_url, 3) as databases:
        await StateStore(databases[0]).set("k", "v")
        assert await StateStore(databases[2]).get("k") == "v"


@contextlib.asynccontextmanager
async def write_lock_held_elsewhere(database_url: str) -> AsyncIterator[None]:
    """Another process in the middle of a write transaction, holding the write lock."""
    if database_url.startswith(SQLITE_SCHEME):
        other = sqlite3.connect(database_url.removeprefix(SQLITE_SCHEME), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    connection = await asyncpg.connect(database_url)
    try:
        async with connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            yield
    finally:
        await connection.close()


def waiting_a_second(database_url: str) -> Database:
    """The database, with writes waiting 1 s (not 10) for another process's lock."""
    if database_url.startswith(SQLITE_SCHEME):
        return SqliteDatabase(Path(database_url.removeprefix(SQLITE_SCHEME)), busy_timeout=1.0)
    return PostgresDatabase(database_url, lock_timeout=1.0)


async def test_a_lock_held_elsewhere_fails_writes_not_reads(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with waiting_a_second(database_url) as db:
        cache = DocumentCache(db)
        await cache.put("flight:219", "{}", 1.0)
        async with write_lock_held_elsewhere(database_url):
            write = asyncio.ensure_future(cache.put_many([Document("flight:1", "{}", 2.0)]))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            assert await cache.get("flight:219") is not None  # not queued behind the write
            assert time.monotonic() - started < 0.5
            with pytest.raises(StorageError, match="locked by another process"):
                await write
        await cache.put_many([Document("flight:1", "{}", 2.0)])
        assert await cache.count() == 2
    [line] = storage_lines(caplog)
    assert "the database is locked by another process" in line and db.where in line


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    store = StateStore(db)
    with pytest.raises((sqlite3.IntegrityError, asyncpg.UniqueViolationError)):
        async with db.transaction() as transaction:
            await transaction.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
            await transaction.execute("INSERT INTO bot_state (key, value) VALUES ('a', '2')")
    assert await store.get("a") is None
    await store.set("a", "3")
    assert await store.get("a") == "3"


async def test_sqlite_reopened_is_at_the_latest_version_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "capcom.db"
    async with SqliteDatabase(path):
        pass
    async with SqliteDatabase(path) as db:
        row = await db.fetchone("PRAGMA user_version")
        assert row is not None and row[0] == len(migrations())
        journal = await db.fetchone("PRAGMA journal_mode")
        assert journal is not None and journal[0] == "wal"


async def test_every_sqlite_commit_is_synced_to_disk(tmp_path: Path) -> None:
    """synchronous=FULL: with NORMAL, a power loss can undo the last commits, among them
    the alert ledger's attempt count raised just before a send (then the duplicate
    guard does not know the alert may have gone out)."""
    async with SqliteDatabase(tmp_path / "capcom.db") as db, db.transaction() as transaction:
        row = await transaction.fetchone("PRAGMA synchronous")
    assert row is not None and row[0] == 2  # FULL


async def test_an_unusable_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot open the database"):
        async with SqliteDatabase(blocker / "capcom.db"):
            pass


async def test_an_unreachable_server_is_a_storage_error_without_the_password() -> None:
    url = "postgresql://capcom:s3cret@127.0.0.1:9/capcom"  # port 9: nothing listens
    with pytest.raises(StorageError, match="cannot open the database") as raised:
        async with open_database(url):
            pass
    assert "s3cret" not in str(raised.value)
    assert "postgresql://capcom@127.0.0.1:9/capcom" in str(raised.value)


async def test_a_new_sqlite_file_another_process_is_writing_is_waited_for(
    tmp_path: Path,
) -> None:
    """Switching a new file to WAL takes a lock SQLite's busy timeout does not wait for:
    a process opening the file while another writes its first transaction must wait,
    not fail with 'database is locked'."""
    path = tmp_path / "capcom.db"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    asyncio.get_running_loop().call_later(0.3, other.execute, "ROLLBACK")
    try:
        async with SqliteDatabase(path) as db:
            journal = await db.fetchone("PRAGMA journal_mode")
            assert journal is not None and journal[0] == "wal"
    finally:
        other.close()
