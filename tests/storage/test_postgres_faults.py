"""A PostgreSQL server restarting: a `StorageError` logged in one line, and the database
works again once the server is back, without restarting Capcom (a write lock held by
another process: `test_database.py`)."""

from __future__ import annotations

import asyncio

import pytest

import storage.postgres as postgres_backend
from storage.database import StorageError
from storage.documents import Document, DocumentCache
from storage.postgres import PostgresDatabase
from tests.postgres import Cluster, running_cluster
from tests.storage.problems import storage_lines


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


async def test_a_stop_is_not_held_up_by_a_connection_still_in_use(
    postgres: Cluster, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A task that still holds a connection when Capcom stops (not cancelled, or stuck on
    the server) cannot keep the process from exiting: it is cut after CLOSE_TIMEOUT."""
    monkeypatch.setattr(postgres_backend, "CLOSE_TIMEOUT", 0.5)
    db = PostgresDatabase(await postgres.new_database())
    await db.open()
    await db.pool.acquire()  # never released, as by a task still running
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.timeout(10):  # without the cut, asyncpg waits for the release
        await db.close()
    assert loop.time() - started < 5
    assert "cut" in caplog.text
