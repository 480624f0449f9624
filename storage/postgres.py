"""The PostgreSQL backend (asyncpg): one database shared by every Capcom process.

The stores' SQL is the same as on SQLite; only its placeholders are renumbered
(`?` → `$1`, `$2`, …; `?3` → `$3`), never inside a string literal, a quoted
identifier or a comment (`to_postgres`).

`transaction()` takes one transaction-scoped advisory lock (`WRITE_LOCK`) first: write
transactions run one at a time across every process on the database, as SQLite's
`BEGIN IMMEDIATE` makes them on one file, so a read-then-write (a slot of the hourly
budget) is atomic fleet-wide. Statements outside a transaction run on their own, in
autocommit, and never wait for that lock.

Migrations run under a session advisory lock (`MIGRATION_LOCK`): processes starting
together migrate once, one after the other. The applied version is kept in
`schema_migrations` (PostgreSQL has no `user_version`).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from yarl import URL

from storage.database import Database, Row, SqlParams, StorageError, Transaction, migrations

WRITE_LOCK = 0x43415043_4F4D0001
"""Advisory lock key of write transactions ("CAPCOM" 1)."""
MIGRATION_LOCK = 0x43415043_4F4D0002
LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another process's transaction, as SQLite's busy timeout."""
MIGRATION_WAIT = 300.0
"""Seconds a process starting waits for another one's migration."""
POOL_SIZE = 4
CLOSE_TIMEOUT = 5.0
"""Seconds a stop waits for connections still in use before it cuts them."""

log = logging.getLogger(__name__)
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?(\d*)")
_CHANGED = re.compile(r"(\d+)$")
_PROBLEMS = (
    ("08", "the database server cannot be reached"),
    ("53", "the database server is out of disk space, memory or connections"),
    ("57P", "the database server is shutting down or not accepting connections"),
    ("55P03", "the database is locked by another process"),
    ("25006", "the database cannot be written (read-only)"),
    ("28", "the database server refused Capcom's login"),
    ("3D000", "the database does not exist"),
)
"""PostgreSQL errors that say the database is failing, by SQLSTATE (or its class)."""


@functools.lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """`sql` with its `?` placeholders as PostgreSQL's `$n`."""
    numbers = itertools.count(1)

    def placeholder(match: re.Match[str]) -> str:
        if not match.group(0).startswith("?"):
            return match.group(0)
        return f"${match.group(1) or next(numbers)}"

    return _TOKENS.sub(placeholder, sql)


def describe(error: Exception) -> str | None:
    """What an asyncpg error says about the database; None for anything else."""
    if isinstance(error, OSError | asyncpg.exceptions.ConnectionDoesNotExistError):
        return "the database server cannot be reached"
    if isinstance(error, TimeoutError):
        return "the database server does not answer"
    if isinstance(error, asyncpg.PostgresError):
        state = str(error.sqlstate or "")
        for prefix, meaning in _PROBLEMS:
            if state.startswith(prefix):
                return meaning
    return None


def _changed(status: str) -> int:
    """Rows a statement changed, from its status ('INSERT 0 1', 'UPDATE 2', 'SELECT 1')."""
    match = _CHANGED.search(status)
    return int(match.group(1)) if match else 0


class _PostgresTransaction(Transaction):
    def __init__(self, connection: PoolConnectionProxy[asyncpg.Record]) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: SqlParams = ()) -> int:
        return _changed(await self._connection.execute(to_postgres(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        await self._connection.executemany(to_postgres(sql), rows)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None:
        row: Row | None = await self._connection.fetchrow(to_postgres(sql), *params)
        return row

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]:
        return list(await self._connection.fetch(to_postgres(sql), *params))


class PostgresDatabase(Database):
    """A PostgreSQL database named by a `postgresql://` URL."""

    def __init__(self, url: str, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        super().__init__()
        self.url = url
        self.lock_timeout = lock_timeout
        self._pool: asyncpg.Pool | None = None

    @property
    def where(self) -> str:
        """The URL without its password (never logged)."""
        url = URL(self.url)
        return str(url.with_password(None)) if url.password else self.url

    def describe(self, error: Exception) -> str | None:
        return describe(error)

    async def open(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=1,
                max_size=POOL_SIZE,
                server_settings={"lock_timeout": f"{int(self.lock_timeout * 1000)}ms"},
            )
            await self._migrate()
        except (
            OSError,
            TimeoutError,
            StorageError,
            asyncpg.PostgresError,
            asyncpg.InterfaceError,
        ) as error:
            await self.close()
            raise StorageError(f"cannot open the database {self.where}: {error}") from error

    async def close(self) -> None:
        """Close the pool; a connection still held after `CLOSE_TIMEOUT` (a task that was
        not cancelled, a query stuck on the server) is cut, so a stop never hangs on it."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await pool.close()
        except TimeoutError:
            log.warning("database connections still in use after %.0f s: cut", CLOSE_TIMEOUT)
            pool.terminate()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StorageError("the database is not open")
        return self._pool

    async def _migrate(self) -> None:
        async with self.pool.acquire() as connection:
            # Another process's migration may take longer than a write may wait.
            await connection.execute(f"SET lock_timeout = '{int(MIGRATION_WAIT)}s'")
            await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
                )
                current = await connection.fetchval(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
                )
                for number, name, sql in migrations("postgresql"):
                    if number <= current:
                        continue
                    async with connection.transaction():
                        await connection.execute(sql)
                        await connection.execute(
                            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            number,
                            name,
                        )
            finally:
                await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
                await connection.execute("RESET lock_timeout")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        with self._failures():
            async with self.pool.acquire() as connection, connection.transaction():
                await connection.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
                yield _PostgresTransaction(connection)

    async def execute(self, sql: str, params: SqlParams = ()) -> None:
        with self._failures():
            await self.pool.execute(to_postgres(sql), *params)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None:
        with self._failures():
            row: Row | None = await self.pool.fetchrow(to_postgres(sql), *params)
            return row

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]:
        with self._failures():
            return list(await self.pool.fetch(to_postgres(sql), *params))
