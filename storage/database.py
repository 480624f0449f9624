"""The SQLite database: one aiosqlite connection per process, WAL, numbered migrations.

Several processes may share the file (the bot, `capcom preview`, `capcom sync`):
WAL lets readers and one writer work side by side, `busy_timeout` makes a writer
wait for another instead of failing, and `transaction()` takes SQLite's write
lock up front (`BEGIN IMMEDIATE`) so a read-then-write (the hourly budget) is
atomic across processes.

Within a process every statement goes through one asyncio lock: aiosqlite runs
statements on one thread in order, but two coroutines interleaving inside an
open transaction would otherwise see each other's half-done work.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

SqlParams = Sequence[Any]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """The database cannot be opened or written (locked, read-only, disk full, deleted)."""


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped in `storage/migrations`, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StorageError(f"migrations must be numbered 0001, 0002, … without gaps: {numbers}")
    return found


class Database:
    """An open SQLite database with the schema migrated to the latest version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(self.path, isolation_level=None, timeout=10)
        except (OSError, sqlite3.Error) as error:
            raise StorageError(f"cannot open the database {self.path}: {error}") from error
        connection.row_factory = sqlite3.Row
        self._connection = connection
        try:
            await connection.execute("PRAGMA busy_timeout = 10000")
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA synchronous = NORMAL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await self._migrate()
        except sqlite3.Error as error:
            await self.close()
            raise StorageError(f"cannot prepare the database {self.path}: {error}") from error

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise StorageError("the database is not open")
        return self._connection

    async def _migrate(self) -> None:
        async with self.transaction() as connection:
            row = await (await connection.execute("PRAGMA user_version")).fetchone()
            current = int(row[0]) if row else 0
            for number, _name, sql in migrations():
                if number <= current:
                    continue
                for statement in _statements(sql):
                    await connection.execute(statement)
                # PRAGMA takes no parameters; `number` is an int from a file name we ship.
                await connection.execute(f"PRAGMA user_version = {int(number)}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction holding SQLite's write lock from its first statement."""
        async with self._lock:
            connection = self.connection
            await connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                await connection.execute("ROLLBACK")
                raise
            await connection.execute("COMMIT")

    async def execute(self, sql: str, params: SqlParams = ()) -> None:
        async with self._lock:
            await self.connection.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        async with self.transaction() as connection:
            await connection.executemany(sql, rows)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> sqlite3.Row | None:
        async with self._lock:
            cursor = await self.connection.execute(sql, params)
            row: sqlite3.Row | None = await cursor.fetchone()
            await cursor.close()
            return row

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[sqlite3.Row]:
        async with self._lock:
            cursor = await self.connection.execute(sql, params)
            rows = list(await cursor.fetchall())
            await cursor.close()
            return rows


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
