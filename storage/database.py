"""The SQLite database: a writing and a reading connection per process, WAL, migrations.

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

A statement that fails (the file locked by another process for longer than the
busy timeout, a full disk, a read-only or damaged file) raises `StorageError`
and is logged in one line saying what is wrong, at most once per problem every
few minutes, so a failing disk does not bury the log. A database file deleted
or replaced while the process runs is reported the same way; the process goes
on with the file it has open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

log = logging.getLogger(__name__)

SqlParams = Sequence[Any]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 10_000
REPORT_EVERY = 300.0
"""Seconds before the same storage problem is logged again."""
_DELETED = "deleted"
_PROBLEMS = (
    (("SQLITE_BUSY", "SQLITE_LOCKED"), "the database is locked by another process"),
    (("SQLITE_FULL",), "the disk is full"),
    (("SQLITE_IOERR",), "writing to the disk failed (disk full, file size limit or I/O error)"),
    (("SQLITE_READONLY", "SQLITE_PERM"), "the database file cannot be written"),
    (("SQLITE_CORRUPT", "SQLITE_NOTADB"), "the database file is damaged"),
    (("SQLITE_CANTOPEN",), "the database file cannot be opened"),
    (("SQLITE_NOMEM",), "SQLite ran out of memory"),
)
"""SQLite errors that say the database is failing, by result code. Any other error
(a constraint, a syntax error, a missing table) is a bug in Capcom's own statements
and is raised as it is."""


class StorageError(Exception):
    """The database cannot be opened or written (locked, read-only, disk full, deleted)."""


def describe(error: sqlite3.Error) -> str | None:
    """What an SQLite error says about the database, in words an operator can act on;
    None for an error in Capcom's own statements."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    for prefixes, meaning in _PROBLEMS:
        if name.startswith(prefixes):
            return meaning
    return None


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

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT_MS / 1000) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._connection: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._identity: tuple[int, int] | None = None
        self._reported: dict[str, float] = {}

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
        self._connection = await self._connect()
        self._identity = self._file_identity()
        try:
            await self._connection.execute("PRAGMA journal_mode = WAL")
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
        """A write transaction holding SQLite's write lock from its first statement.

        Rolled back if the body raises or the commit fails (a failed COMMIT leaves
        the transaction open); a failing database comes out as `StorageError`."""
        async with self._lock:
            connection = self.connection
            self._check_file()
            with self._failures():
                await connection.execute("BEGIN IMMEDIATE")
            with self._failures():
                try:
                    yield connection
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

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        async with self.transaction() as connection:
            await connection.executemany(sql, rows)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> sqlite3.Row | None:
        rows = await self._read(sql, params, one=True)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[sqlite3.Row]:
        return await self._read(sql, params, one=False)

    async def _read(self, sql: str, params: SqlParams, *, one: bool) -> list[sqlite3.Row]:
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

    # Problems

    @contextlib.contextmanager
    def _failures(self) -> Iterator[None]:
        """SQLite errors that say the database is failing as `StorageError`, reported."""
        try:
            yield
        except sqlite3.Error as error:
            meaning = describe(error)
            if meaning is None:
                raise
            self._report(meaning, f"{meaning}: {self.path}: {error}")
            raise StorageError(f"{meaning}: {error}") from error

    def _report(self, problem: str, line: str) -> None:
        """Log `line` unless `problem` was logged in the last `REPORT_EVERY` seconds."""
        now = time.monotonic()
        last = self._reported.get(problem)
        if last is not None and now - last < REPORT_EVERY:
            return
        self._reported[problem] = now
        log.error("storage: %s", line)

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
) -> list[sqlite3.Row]:
    cursor = await connection.execute(sql, params)
    try:
        if one:
            row: sqlite3.Row | None = await cursor.fetchone()
            return [] if row is None else [row]
        return list(await cursor.fetchall())
    finally:
        await cursor.close()


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
