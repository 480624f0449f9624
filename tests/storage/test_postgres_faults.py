"""A failing PostgreSQL: a write lock held by another process for too long, connections
cut by a server restart. Each failure is a `StorageError` logged in one line, reads go
on, and the database works again once the cause is gone, without restarting Capcom."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest

from storage.database import StorageError
from storage.documents import Document, DocumentCache
from storage.postgres import WRITE_LOCK, PostgresDatabase
from tests.postgres import Cluster, running_cluster


def storage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "storage.database" and record.levelno >= logging.ERROR
    ]


@pytest.fixture
async def url(postgres: Cluster) -> str:
    return await postgres.new_database()


@pytest.fixture
async def other(url: str) -> AsyncIterator[asyncpg.Connection]:
    """Another process's connection to the same database."""
    connection = await asyncpg.connect(url)
    yield connection
    await connection.close()


async def test_a_write_lock_held_elsewhere_fails_writes_not_reads(
    url: str, other: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    async with PostgresDatabase(url, lock_timeout=1.0) as db:
        cache = DocumentCache(db)
        await cache.put("flight:219", "{}", 1.0)
        async with other.transaction():
            await other.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            write = asyncio.ensure_future(cache.put_many([Document("flight:1", "{}", 2.0)]))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            assert await cache.get("flight:219") is not None  # not queued behind the write
            assert time.monotonic() - started < 0.5
            with pytest.raises(StorageError, match="locked by another process"):
                await write
        await cache.put_many([Document("flight:1", "{}", 2.0)])
        assert await cache.count() == 2
    assert len(storage_lines(caplog)) == 1
    assert "postgresql://" in storage_lines(caplog)[0]


async def test_a_server_down_is_one_log_line_and_work_resumes_when_it_is_back(
    postgres: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    """A restart or failover of the server: Capcom goes on (its storage failing, said
    once), and works again by itself when the server is back."""
    with running_cluster(postgres.bindir) as cluster:  # a cluster of its own to stop
        async with PostgresDatabase(await cluster.new_database()) as db:
            cache = DocumentCache(db)
            await cache.put("flight:219", "{}", 1.0)
            cluster.stop()
            for n in range(3):
                with pytest.raises(StorageError, match=r"cannot be reached|not accepting"):
                    await cache.get("flight:219")
                with pytest.raises(StorageError, match=r"cannot be reached|not accepting"):
                    await cache.put_many([Document(f"flight:{n}", "{}", 2.0)])
            cluster.start()
            document = await cache.get("flight:219")
            assert document is not None and document.body == "{}"
            await cache.put_many([Document("flight:1", "{}", 2.0)])
            assert await cache.count() == 2
    lines = storage_lines(caplog)
    assert len(lines) == 1, lines
    assert all("postgresql://capcom@127.0.0.1" in line for line in lines)
