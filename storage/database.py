"""The storage interface: one `Database` with two backends, SQLite and PostgreSQL.

The stores (`storage/*.py`) write parameterized SQL with `?` placeholders (`?1`, `?2`
where a parameter is used twice) in the dialect both engines accept, and call
`execute`, `executemany`, `fetchone`, `fetchall` and `transaction()`. Each backend
runs that SQL as it is (SQLite, `storage/sqlite.py`) or with the placeholders
renumbered (PostgreSQL, `storage/postgres.py`). `storage.open.open_database(url)` picks
one by the URL's scheme (apart, so that the backends import this module and nothing here
imports them).

`transaction()` is a write transaction that holds the database's write lock from its
first statement to its end, whichever process or machine holds the other connections:
SQLite's `BEGIN IMMEDIATE`, PostgreSQL's transaction-scoped advisory lock. A
read-then-write inside one (the hourly budget) is therefore atomic across processes.

A statement that fails because the database is failing (locked for longer than the
timeout, a full disk, a read-only or damaged file, a server that cannot be reached)
raises `StorageError` and is logged in one line saying what is wrong, at most once per
problem every few minutes, so a failing disk does not bury the log. Any other error (a
constraint, a syntax error, a missing table) is a bug in Capcom's own statements and is
raised as it is.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from importlib import resources
from types import TracebackType
from typing import Any, Literal, Protocol, Self

log = logging.getLogger(__name__)

SqlParams = Sequence[Any]
Dialect = Literal["sqlite", "postgresql"]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+(\.postgres)?\.sql$")
_POSTGRES_TYPES = (
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
)
"""A shared migration's SQLite types as PostgreSQL needs them: SQLite's REAL and INTEGER
are 8 bytes, PostgreSQL's 4 (a 4-byte REAL would round UNIX times to minutes, a 4-byte
INTEGER cannot hold a Discord id)."""
REPORT_EVERY = 300.0
"""Seconds before the same storage problem is logged again."""
SQLITE_SCHEME = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class StorageError(Exception):
    """The database cannot be opened or written (locked, read-only, disk full, deleted,
    unreachable)."""


class Row(Protocol):
    """A result row, by column name or position (`sqlite3.Row`, `asyncpg.Record`)."""

    def __getitem__(self, key: Any, /) -> Any: ...


class Transaction(ABC):
    """Statements inside one write transaction (see `Database.transaction`)."""

    @abstractmethod
    async def execute(self, sql: str, params: SqlParams = ()) -> int:
        """Run one statement; how many rows it changed."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None: ...

    @abstractmethod
    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]: ...


class Database(ABC):
    """An open database with the schema migrated to the latest version."""

    def __init__(self) -> None:
        self._reported: dict[str, float] = {}
        self.failures: collections.Counter[str] = collections.Counter()
        """Statements that failed because the database did, by problem (for metrics)."""

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

    @property
    @abstractmethod
    def where(self) -> str:
        """The database, as an operator names it (a path, a URL without password)."""

    def changes(self) -> Callable[[], Hashable] | None:
        """A cheap stamp of the database, different once any process wrote to it (no
        query); None where there is none to take."""
        return None

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """A write transaction holding the write lock from its first statement.

        Rolled back if the body raises or the commit fails; a failing database comes
        out as `StorageError`."""

    @abstractmethod
    async def execute(self, sql: str, params: SqlParams = ()) -> None:
        """One statement in a transaction of its own."""

    @abstractmethod
    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]: ...

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        async with self.transaction() as transaction:
            await transaction.executemany(sql, rows)

    # Problems

    @abstractmethod
    def describe(self, error: Exception) -> str | None:
        """What an error says about the database, in words an operator can act on;
        None for an error in Capcom's own statements."""

    @contextlib.contextmanager
    def _failures(self) -> Iterator[None]:
        """Errors that say the database is failing as `StorageError`, reported."""
        try:
            yield
        except StorageError:
            raise
        except Exception as error:
            meaning = self.describe(error)
            if meaning is None:
                raise
            self.failures[meaning] += 1
            self._report(meaning, f"{meaning}: {self.where}: {error}")
            raise StorageError(f"{meaning}: {error}") from error

    def _report(self, problem: str, line: str) -> None:
        """Log `line` unless `problem` was logged in the last `REPORT_EVERY` seconds."""
        now = time.monotonic()
        last = self._reported.get(problem)
        if last is not None and now - last < REPORT_EVERY:
            return
        self._reported[problem] = now
        log.error("storage: %s", line)


def migrations(dialect: Dialect = "sqlite") -> list[tuple[int, str, str]]:
    """The numbered migrations shipped in `storage/migrations`, in order, as `dialect`
    runs them: PostgreSQL takes a migration's `NNNN_name.postgres.sql` where there is
    one (what SQLite alone has: FTS5, `WITHOUT ROWID`, its trigger syntax), else the
    shared `NNNN_name.sql` with its types widened (`_POSTGRES_TYPES`)."""
    shared: dict[int, tuple[str, str]] = {}
    variants: dict[int, tuple[str, str]] = {}
    numbers: list[int] = []
    for entry in sorted(resources.files("storage.migrations").iterdir(), key=lambda e: e.name):
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found = variants if match.group(2) else shared
            found[int(match.group(1))] = (entry.name, entry.read_text(encoding="utf-8"))
            numbers += [] if match.group(2) else [int(match.group(1))]
    if numbers != list(range(1, len(numbers) + 1)) or not set(variants) <= set(shared):
        raise StorageError(
            "migrations must be numbered 0001, 0002, … once each without gaps, each variant"
            f" beside its shared file: {numbers}, variants {sorted(variants)}"
        )
    if dialect == "sqlite":
        return [(number, *shared[number]) for number in numbers]
    ordered = []
    for number in numbers:
        if number in variants:
            ordered.append((number, *variants[number]))
            continue
        name, sql = shared[number]
        for pattern, replacement in _POSTGRES_TYPES:
            sql = pattern.sub(replacement, sql)
        ordered.append((number, name, sql))
    return ordered


def check_url(url: str) -> str:
    """`url` if Capcom can open it, else ValueError saying what is accepted."""
    if url.startswith(SQLITE_SCHEME) and len(url) > len(SQLITE_SCHEME):
        return url
    if url.startswith(POSTGRES_SCHEMES):
        return url
    raise ValueError(
        "must be sqlite:///<path> (e.g. sqlite:///./data/capcom.db) or"
        " postgresql://user[:password]@host[:port]/database"
    )
