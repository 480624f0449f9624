"""The catalog sync against the LL2 stand-in, on a real SQLite file."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from bot.ll2.api import LIST_LIMIT, Endpoints
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import LL2Client, Unavailable
from bot.ll2.freshness import StaleReason
from bot.ll2.repository import LL2Repository
from bot.runtime import open_runtime
from bot.service import UnknownQuery
from bot.settings import Settings
from bot.sync import REFRESH_AFTER_SECONDS, CatalogSync
from storage.database import Database
from storage.documents import DocumentCache
from storage.index import EntityKind, SearchIndex
from storage.sqlite import SqliteDatabase
from storage.state import StateStore
from storage.upstream import UpstreamLedger
from tests.conftest import FakeClock
from tests.stubs.ll2 import Catalog, LL2Stub

ASTRONAUTS, FLIGHTS = 250, 120


@pytest.fixture
async def ll2() -> AsyncIterator[LL2Stub]:
    async with LL2Stub(Catalog.synthetic(flights=FLIGHTS, astronauts=ASTRONAUTS)) as stub:
        yield stub


@pytest.fixture
async def make_sync(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock
) -> AsyncIterator[Callable[[Database, int], CatalogSync]]:
    async with aiohttp.ClientSession() as session:

        def build(db: Database, per_hour: int = 1000) -> CatalogSync:
            budget = Budget(UpstreamLedger(db), per_hour, clock)
            client = LL2Client(session, ll2.base_url("2.3.0"), budget, clock=clock)
            index = SearchIndex(db)
            repository = LL2Repository(client, Endpoints("2.3.0"), DocumentCache(db), index, clock)
            return CatalogSync(repository, StateStore(db), index, budget, clock)

        yield build


async def run_to_the_end(sync: CatalogSync) -> int:
    steps = 0
    while await sync.step() is not None:
        steps += 1
    return steps


async def test_a_sync_fills_the_index_and_autocomplete_finds_anyone(
    tmp_path: Path, ll2: LL2Stub, make_sync: Callable[[Database, int], CatalogSync]
) -> None:
    async with SqliteDatabase(tmp_path / "capcom.db") as db:
        index = SearchIndex(db)
        assert await index.count(EntityKind.ASTRONAUT) == 0
        pages = math.ceil(ASTRONAUTS / LIST_LIMIT) + math.ceil(FLIGHTS / LIST_LIMIT)
        assert await run_to_the_end(make_sync(db, 1000)) == pages
        assert ll2.upstream_count() == pages
        assert await index.count(EntityKind.ASTRONAUT) == ASTRONAUTS
        assert await index.count(EntityKind.FLIGHT) == FLIGHTS
        last = max(ll2.catalog.astronauts)
        name = ll2.catalog.astronauts[last]["name"]
        found = await index.search(EntityKind.ASTRONAUT, name[:4])
        assert last in [e.id for e in await index.search(EntityKind.ASTRONAUT, name)]
        assert found, name


async def test_a_restart_resumes_where_the_sync_stopped(
    tmp_path: Path, ll2: LL2Stub, make_sync: Callable[[Database, int], CatalogSync]
) -> None:
    path = tmp_path / "capcom.db"
    async with SqliteDatabase(path) as db:
        sync = make_sync(db, 1000)
        await sync.step()
        await sync.step()
    async with SqliteDatabase(path) as db:
        remaining = await run_to_the_end(make_sync(db, 1000))
    pages = math.ceil(ASTRONAUTS / LIST_LIMIT) + math.ceil(FLIGHTS / LIST_LIMIT)
    assert remaining == pages - 2
    assert ll2.upstream_count() == pages  # no page fetched twice


async def test_the_sync_uses_only_the_background_share(
    tmp_path: Path,
    ll2: LL2Stub,
    make_sync: Callable[[Database, int], CatalogSync],
    clock: FakeClock,
) -> None:
    async with SqliteDatabase(tmp_path / "capcom.db") as db:
        sync = make_sync(db, 12)  # a background share of 4 an hour
        assert sync.estimate_hours(await sync.position()) is None
        for _ in range(4):
            assert await sync.step() is not None
        with pytest.raises(Unavailable) as raised:
            await sync.step()
        assert raised.value.reason is StaleReason.BUDGET
        budget = Budget(UpstreamLedger(db), 12, clock)
        assert await budget.try_acquire(Priority.INTERACTIVE, "x/") is None  # users still can
        position = await sync.position()
        assert position.pages_left == 1
        assert sync.estimate_hours(position) == pytest.approx(1 / 4)


async def test_a_finished_pass_starts_again_after_a_day(
    tmp_path: Path,
    ll2: LL2Stub,
    make_sync: Callable[[Database, int], CatalogSync],
    clock: FakeClock,
) -> None:
    async with SqliteDatabase(tmp_path / "capcom.db") as db:
        sync = make_sync(db, 1000)
        await run_to_the_end(sync)
        assert not await sync.due()
        clock.advance(REFRESH_AFTER_SECONDS + 1)
        assert await sync.due()
        assert await sync.step() is not None


async def test_with_2_3_0_a_synced_catalog_answers_details_from_the_cache(
    tmp_path: Path, ll2: LL2Stub, make_sync: Callable[[Database, int], CatalogSync]
) -> None:
    """`mode=detailed` pages stand in for the details: no request per flight or person."""
    async with SqliteDatabase(tmp_path / "capcom.db") as db:
        sync = make_sync(db, 1000)
        await run_to_the_end(sync)
        pages = ll2.upstream_count()
        repository = sync.repository
        flight_id = 219
        flight = await repository.flight(flight_id, Priority.INTERACTIVE)
        astronaut = await repository.astronaut(max(ll2.catalog.astronauts), Priority.INTERACTIVE)
        assert flight.freshness.from_cache and astronaut.freshness.from_cache
        assert flight.value.launch_crew or flight.value.onboard_crew
        assert ll2.upstream_count() == pages


async def test_after_a_sync_flight_pages_come_from_the_catalog(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock
) -> None:
    """Once a pass has finished, /flights pages need no LL2 request."""
    settings = Settings(
        _env_file=None,
        ll2_base_url=ll2.base_url("2.3.0"),
        database_path=tmp_path / "capcom.db",
        ll2_requests_per_hour=1000,
    )
    async with open_runtime(settings) as runtime:
        while await runtime.sync.step() is not None:
            pass
        synced = ll2.upstream_count()
        first = await runtime.service.flight_page(78, 1)
        last = await runtime.service.flight_page(78, 99)
        everything = await runtime.service.flight_page(None, 2)
    assert ll2.upstream_count() == synced
    assert first.value.total == len(ll2.catalog.query_flights(spacecraft=78))
    assert last.value.page == last.value.pages == 3
    assert [f.id for f in everything.value.flights] == sorted(ll2.catalog.flights)[10:20]
    assert all(f.spacecraft and f.spacecraft.id == 78 for f in first.value.flights)


async def test_a_complete_catalog_says_not_found_without_asking_ll2(
    tmp_path: Path, ll2: LL2Stub
) -> None:
    """After a pass, an id or name the catalog lacks costs nothing; an id above the
    highest known may be a flight added since, so LL2 is still asked for it."""
    settings = Settings(
        _env_file=None,
        ll2_base_url=ll2.base_url("2.3.0"),
        database_path=tmp_path / "capcom.db",
        ll2_requests_per_hour=1000,
    )
    flights, astronauts = set(ll2.catalog.flights), set(ll2.catalog.astronauts)
    no_flight = next(i for i in range(1, max(flights)) if i not in flights)
    no_astronaut = next(i for i in range(1, max(astronauts)) if i not in astronauts)
    async with open_runtime(settings) as runtime:
        while await runtime.sync.step() is not None:
            pass
        synced = ll2.upstream_count()
        service = runtime.service
        with pytest.raises(UnknownQuery, match=f"no spacecraft flight with id {no_flight}"):
            await service.flight(str(no_flight))
        with pytest.raises(UnknownQuery, match=f"no astronaut with id {no_astronaut}"):
            await service.astronaut(str(no_astronaut))
        with pytest.raises(UnknownQuery, match="No astronaut matches “Zzyzx Qwv”"):
            await service.astronaut("Zzyzx Qwv")
        assert ll2.upstream_count() == synced
        with pytest.raises(UnknownQuery):
            await service.flight(str(max(flights) + 1))
        assert ll2.upstream_count() == synced + 1
