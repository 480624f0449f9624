"""Shared fixtures: a real database per test (an SQLite file, or a PostgreSQL database
of a throwaway cluster for the tests marked `every_backend`)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage.database import SQLITE_SCHEME, Database, open_database
from tests.postgres import HOW_TO_ENABLE, Cluster, running_cluster, server_bindir

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `every_backend` run once on SQLite and once on PostgreSQL."""
    if (
        metafunc.definition.get_closest_marker("every_backend")
        and "database_url" in metafunc.fixturenames
    ):
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole session. Without PostgreSQL installed its
    tests are skipped, except on CI (`CI=true`), where that is a failure."""
    bindir = server_bindir()
    if bindir is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {HOW_TO_ENABLE}", pytrace=False)
        pytest.skip(HOW_TO_ENABLE)
    with running_cluster(bindir) as cluster:
        yield cluster


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database's URL: an SQLite file, or (parametrized) a PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "postgresql":
        cluster: Cluster = request.getfixturevalue("postgres")
        return await cluster.new_database()
    return f"{SQLITE_SCHEME}{tmp_path / 'capcom.db'}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with open_database(database_url) as database:
        yield database


class FakeClock:
    """A settable UNIX clock for budget and freshness tests."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
