"""Shared fixtures: a real database per test (an SQLite file, or a PostgreSQL database
of a throwaway cluster for the tests marked `every_backend`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from storage.database import SQLITE_SCHEME, Database
from storage.open import open_database
from tests.postgres import NOT_INSTALLED, Cluster, running_cluster, server_bindir
from tests.stubs.clients import GuildsBot, connected
from tests.stubs.discord import DEFAULT_BOT_PERMISSIONS, DiscordStub, Perm

BACKENDS = ("sqlite", "postgresql")
_NOT_RUN = pytest.StashKey[int]()


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `every_backend` run once on SQLite and once on PostgreSQL."""
    if (
        metafunc.definition.get_closest_marker("every_backend")
        and "database_url" in metafunc.fixturenames
    ):
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without PostgreSQL on a developer machine, its tests are left out and said so in
    one line (`pytest_terminal_summary`); on CI they stay, and fail."""
    if _on_ci() or server_bindir() is not None:
        return
    left_out = [item for item in items if _needs_postgres(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]
        config.stash[_NOT_RUN] = len(left_out)


def _needs_postgres(item: pytest.Item) -> bool:
    if not isinstance(item, pytest.Function):
        return False
    if "postgres" in item.fixturenames:
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("database_url") == "postgresql"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker of `pytest -n` (pytest-xdist) tells the main process what it left out."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["postgres_left_out"] = session.config.stash.get(_NOT_RUN, 0)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """pytest-xdist's hook in the main process: each worker collected the whole suite and
    left out the same tests, so the count of one is the count."""
    left_out: int = getattr(node, "workeroutput", {}).get("postgres_left_out", 0)
    node.config.stash[_NOT_RUN] = left_out


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if left_out := config.stash.get(_NOT_RUN, 0):
        terminalreporter.write_line(f"{NOT_INSTALLED}: its {left_out} tests were skipped")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole session."""
    bindir = server_bindir()
    if bindir is None:
        pytest.fail(f"CI=true and {NOT_INSTALLED}", pytrace=False)
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


@contextlib.asynccontextmanager
async def opened_together(url: str, count: int) -> AsyncIterator[list[Database]]:
    """`count` connections to one database, opened at once as processes starting
    together would; all closed afterwards, whatever happened."""
    databases = [open_database(url) for _ in range(count)]
    outcomes = await asyncio.gather(*(db.open() for db in databases), return_exceptions=True)
    try:
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        yield databases
    finally:
        await asyncio.gather(*(db.close() for db in databases))


def settings_on(base_url: str, folder: Path) -> Settings:
    """A runtime's settings: LL2 at `base_url`, the database in `folder`, and a budget
    the test never runs out of."""
    return Settings(
        _env_file=None,
        ll2_base_url=base_url,
        database_path=folder / "capcom.db",
        ll2_requests_per_hour=1000,
    )


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


STUB_TOKEN = "stub-token"


@pytest.fixture
async def events_stub() -> AsyncIterator[DiscordStub]:
    """The Discord stand-in with one server, "Launch fans", where the bot may create events."""
    async with DiscordStub(token=STUB_TOKEN) as stand_in:
        stand_in.add_guild(
            name="Launch fans", bot_permissions=DEFAULT_BOT_PERMISSIONS | Perm.CREATE_EVENTS
        )
        yield stand_in
        assert not stand_in.failures


@pytest.fixture
async def events_bot(
    events_stub: DiscordStub, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[GuildsBot]:
    """A discord.py client with Capcom's intents, READY in `events_stub`."""
    async with connected(events_stub, GuildsBot(), STUB_TOKEN, monkeypatch) as client:
        yield client
