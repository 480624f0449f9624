"""The SQLite backend: a writing and a reading connection per process, WAL, migrations.

Several processes may share the file (the bot, `capcom preview`, `capcom sync`):
WAL lets readers and one writer work side by side, `busy_timeout` makes a writer
wait for another instead of failing, and `transaction()` takes SQLite's write
lock up front (`BEGIN IMMEDIATE`) so a read-then-write (the hourly budget) is
atomic across processes.

Within a process every write goes through one connection and one asyncio lock:
aiosqlite runs statements on one thread in order, but two coroutines
interleaving inside an open transaction would otherwise see each other's
half-done work. Reads outside a transaction (`fetchone`, `fetchall`) use a
second, read-only connection: they see what is committed and never queue
behind a write that is waiting for another process's lock (if that connection
fails, a read falls back to the writing one).

A database file deleted or replaced while the process runs is reported like any
other storage problem; the process goes on with the file it has open.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Hashable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.database import Database, Row, SqlParams, StorageError, Transaction, migrations

BUSY_TIMEOUT_MS = 10_000
_DELETED = "deleted"
_LOCKED = "the database is locked by another process"
_PROBLEMS = (
    (("SQLITE_BUSY", "SQLITE_LOCKED"), _LOCKED),
    (("SQLITE_FULL",), "the disk is full"),
    (("SQLITE_IOERR",), "writing to the disk failed (disk full, file size limit or I/O error)"),
    (("SQLITE_READONLY", "SQLITE_PERM"), "the database file cannot be written"),
    (("SQLITE_CORRUPT", "SQLITE_NOTADB"), "the database file is damaged"),
    (("SQLITE_CANTOPEN",), "the database file cannot be opened"),
    (("SQLITE_NOMEM",), "SQLite ran out of memory"),
)
"""SQLite errors that say the database is failing, by result code."""


def describe(error: Exception) -> str | None:
    """What an SQLite error says about the database; None for anything else."""
    if not isinstance(error, sqlite3.Error):
        return None
    name = str(getattr(error, "sqlite_errorname", "") or "")
    for prefixes, meaning in _PROBLEMS:
        if name.startswith(prefixes):
            return meaning
    return None


class _SqliteTransaction(Transaction):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: SqlParams = ()) -> int:
        cursor = await self._connection.execute(sql, params)
        changed = cursor.rowcount
        await cursor.close()
        return changed

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        await self._connection.executemany(sql, rows)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None:
        rows = await _rows(self._connection, sql, params, one=True)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]:
        return await _rows(self._connection, sql, params, one=False)


class SqliteDatabase(Database):
    """An SQLite file; its folder is created."""

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT_MS / 1000) -> None:
        super().__init__()
        self.path = path
        self.busy_timeout = busy_timeout
        self._connection: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._identity: tuple[int, int] | None = None

    @property
    def where(self) -> str:
        return str(self.path)

    def describe(self, error: Exception) -> str | None:
        return describe(error)

    async def open(self) -> None:
        self._connection = await self._connect()
        self._identity = self._file_identity()
        try:
            await self._use_wal(self._connection)
            # FULL, not NORMAL: a commit (the alert ledger's attempt count raised just
            # before a send) must survive a power loss. About 0.3 ms more per write
            # transaction, and Capcom writes a few per LL2 request at most.
            await self._connection.execute("PRAGMA synchronous = FULL")
            await self._connection.execute("PRAGMA foreign_keys = ON")
            await self._migrate()
            self._reader = await self._connect()
            await self._reader.execute("PRAGMA query_only = ON")
        except (sqlite3.Error, StorageError) as error:
            await self.close()
            raise StorageError(f"cannot prepare the database {self.path}: {error}") from error

    async def _use_wal(self, connection: aiosqlite.Connection) -> None:
        """Switch a new file to WAL. SQLite does not wait for the lock this takes (no
        busy handler here): processes opening a new file together try again until the
        busy timeout, instead of failing at once."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                await connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if describe(error) != _LOCKED or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.01)

    async def _connect(self) -> aiosqlite.Connection:
        timeout = self.busy_timeout
        connection: aiosqlite.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(self.path, isolation_level=None, timeout=timeout)
            connection.row_factory = sqlite3.Row
            await connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        except (OSError, sqlite3.Error) as error:
            if connection is not None:
                await connection.close()
            await self.close()
            raise StorageError(f"cannot open the database {self.path}: {error}") from error
        return connection

    async def close(self) -> None:
        for connection in (self._reader, self._connection):
            if connection is not None:
                await connection.close()
        self._reader = self._connection = None

    def write_stamp(self) -> Callable[[], Hashable]:
        """A stamp of the files: in WAL mode a commit grows or rewrites the `-wal` file,
        a checkpoint the database file. Two `stat` calls, no query: a cache hit compares
        it instead of reading SQLite."""
        files = (self.path, self.path.with_name(self.path.name + "-wal"))

        def stamp() -> Hashable:
            seen: list[tuple[int, int, int] | None] = []
            for file in files:
                try:
                    status = os.stat(file)
                except OSError:
                    seen.append(None)
                else:
                    seen.append((status.st_ino, status.st_size, status.st_mtime_ns))
            return tuple(seen)

        return stamp

    @property
    def connection(self) -> aiosqlite.Connection:
        """The connection that writes (and reads inside transactions)."""
        if self._connection is None:
            raise StorageError("the database is not open")
        return self._connection

    @property
    def _read_connection(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise StorageError("the database is not open")
        return self._reader

    async def _migrate(self) -> None:
        async with self.transaction() as transaction:
            row = await transaction.fetchone("PRAGMA user_version")
            current = int(row[0]) if row else 0
            for number, _name, sql in migrations("sqlite"):
                if number <= current:
                    continue
                for statement in statements(sql):
                    await transaction.execute(statement)
                # PRAGMA takes no parameters; `number` is an int from a file name we ship.
                await transaction.execute(f"PRAGMA user_version = {int(number)}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._lock:
            connection = self.connection
            self._check_file()
            with self._failures():
                await connection.execute("BEGIN IMMEDIATE")
            with self._failures():
                try:
                    yield _SqliteTransaction(connection)
                    await connection.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        await connection.execute("ROLLBACK")
                    raise

    async def execute(self, sql: str, params: SqlParams = ()) -> None:
        async with self._lock:
            self._check_file()
            with self._failures():
                await self.connection.execute(sql, params)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None:
        rows = await self._read(sql, params, one=True)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]:
        return await self._read(sql, params, one=False)

    async def _read(self, sql: str, params: SqlParams, *, one: bool) -> list[Row]:
        """On the read connection; if that one fails (it can lose the file's shared
        memory when the file is deleted), on the writing connection."""
        try:
            async with self._read_lock:
                return await _rows(self._read_connection, sql, params, one)
        except sqlite3.Error as error:
            if describe(error) is None:
                raise
        async with self._lock:
            with self._failures():
                return await _rows(self.connection, sql, params, one)

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def _check_file(self) -> None:
        """Before a write: is the file at `path` still the one open? (One `stat`.)"""
        if self._identity is None or self._file_identity() == self._identity:
            return
        self._report(
            _DELETED,
            f"the database file {self.path} was deleted or replaced while Capcom was running; "
            "Capcom goes on with the file it has open, but what it stores from now on is lost "
            "when it stops (restart Capcom to start a new file)",
        )


async def _rows(
    connection: aiosqlite.Connection, sql: str, params: SqlParams, one: bool
) -> list[Row]:
    cursor = await connection.execute(sql, params)
    try:
        if one:
            row: sqlite3.Row | None = await cursor.fetchone()
            return [] if row is None else [row]
        return list(await cursor.fetchall())
    finally:
        await cursor.close()


def statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    found: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        found.append(buffer.strip())
    return found
