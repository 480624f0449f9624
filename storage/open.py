"""Choosing the backend a database URL names.

Apart from `storage/database.py`, which both backends import: the choice imports both
backends, so living there would make a circle.
"""

from __future__ import annotations

from pathlib import Path

from storage.database import POSTGRES_SCHEMES, SQLITE_SCHEME, Database, check_url
from storage.sqlite import SqliteDatabase


def open_database(url: str) -> Database:
    """The database `url` names (see `check_url`), to be opened with `async with`."""
    check_url(url)
    if url.startswith(POSTGRES_SCHEMES):
        # Imported here: a bot on SQLite never loads asyncpg.
        from storage.postgres import PostgresDatabase

        return PostgresDatabase(url)
    return SqliteDatabase(Path(url.removeprefix(SQLITE_SCHEME)))
