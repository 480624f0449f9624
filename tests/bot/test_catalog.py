"""The catalog sync against the LL2 stand-in, on a real SQLite file."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.catalog import HOLD_SECONDS, MAX_ROUNDS, REFRESH_AFTER_SECONDS, Catalog, CatalogSync
from bot.ll2.api import LIST_LIMIT, Endpoints
from bot.ll2.budget import DEMAND_SECONDS, Budget, Priority
from bot.ll2.client import LL2Client, Unavailable
from bot.ll2.freshness import Fetched, StaleReason
from bot.ll2.repository import LL2Repository
from bot.runtime import open_runtime
from bot.service import UnknownQuery
from storage.database import Database
from storage.documents import DocumentCache
from storage.index import EntityKind, SearchIndex
from storage.leases import LeaseStore
from storage.sqlite import SqliteDatabase
from storage.state import StateStore
from storage.upstream import Denial, UpstreamLedger
from tests.conftest import FakeClock, settings_on
from tests.stubs.ll2 import Catalog as LL2Catalog
from tests.stubs.ll2 import LL2Stub

ASTRONAUTS, FLIGHTS = 250, 120
INTERACTIVE = Priority.INTERACTIVE


@pytest.fixture
async def ll2() -> AsyncIterator[LL2Stub]:
    async with LL2Stub(LL2Catalog.synthetic(flights=FLIGHTS, astronauts=ASTRONAUTS)) as stub:
        yield stub


@pytest.fixture
async def make_sync(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock
) -> AsyncIterator[Callable[[Database, int], CatalogSync]]:
    async with aiohttp.ClientSession() as session:

        def build(db: Database, per_hour: int = 1000) -> CatalogSync:
            budget = Budget(UpstreamLedger(db), per_hour, clock)
            return sync_on(session, ll2.base_url("2.3.0"), db, budget, clock)

        yield build


def sync_on(
    session: aiohttp.ClientSession, base_url: str, db: Database, budget: Budget, clock: FakeClock
) -> CatalogSync:
    """A catalog sync on LL2 2.3.0 at `base_url`, as `bot.runtime` wires one."""
    client = LL2Client(session, base_url, budget, clock=clock)
    index = SearchIndex(db)
    repository = LL2Repository(
        client, Endpoints("2.3.0"), DocumentCache(db), index, clock, leases=LeaseStore(db)
    )
    return CatalogSync(repository, StateStore(db), index, budget, clock)


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
        for _ in range(4):
            assert await sync.step() is not None
        with pytest.raises(Unavailable) as raised:
            await sync.step()
        assert raised.value.reason is StaleReason.BUDGET
        budget = Budget(UpstreamLedger(db), 12, clock)
        assert await budget.try_acquire(Priority.INTERACTIVE, "x/") is None  # users still can
        position = await sync.position()
        assert position.pages_left == 1


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
    settings = settings_on(ll2.base_url("2.3.0"), tmp_path)
    async with open_runtime(settings) as runtime:
        await run_to_the_end(runtime.catalog)
        synced = ll2.upstream_count()
        first = await runtime.service.flight_page(78, 1, asker=None)
        last = await runtime.service.flight_page(78, 99, asker=None)
        everything = await runtime.service.flight_page(None, 2, asker=None)
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
    settings = settings_on(ll2.base_url("2.3.0"), tmp_path)
    flights, astronauts = set(ll2.catalog.flights), set(ll2.catalog.astronauts)
    no_flight = next(i for i in range(1, max(flights)) if i not in flights)
    no_astronaut = next(i for i in range(1, max(astronauts)) if i not in astronauts)
    async with open_runtime(settings) as runtime:
        await run_to_the_end(runtime.catalog)
        synced = ll2.upstream_count()
        service = runtime.service
        with pytest.raises(UnknownQuery, match=f"no spacecraft flight with id {no_flight}"):
            await service.flight(str(no_flight), asker=None)
        with pytest.raises(UnknownQuery, match=f"no astronaut with id {no_astronaut}"):
            await service.astronaut(str(no_astronaut), asker=None)
        with pytest.raises(UnknownQuery, match="No astronaut matches “Zzyzx Qwv”"):
            await service.astronaut("Zzyzx Qwv", asker=None)
        assert ll2.upstream_count() == synced
        with pytest.raises(UnknownQuery):
            await service.flight(str(max(flights) + 1), asker=None)
        assert ll2.upstream_count() == synced + 1


# --- flights in no documented order --------------------------------------------------------


class UnstableOrder:
    """LL2 in front of the stand-in, with `/spacecraft_flights/` pages in an order that
    moves between requests, as a database order does: for the first `unstable` list
    requests, the page at offset `o` holds the rows at `o + shifts[o]`, so some rows
    come twice and others never (LL2's `count` stays right)."""

    def __init__(self, upstream: LL2Stub, shifts: dict[int, int], unstable: int) -> None:
        self.upstream = upstream
        self.shifts = shifts
        self.unstable = unstable
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0

    async def __aenter__(self) -> UnstableOrder:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._session is not None and self._runner is not None
        await self._session.close()
        await self._runner.cleanup()

    def base_url(self, version: str) -> str:
        return f"http://127.0.0.1:{self.port}/{version}"

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        query = dict(request.query)
        if request.path.endswith("/spacecraft_flights/") and self.unstable > 0:
            self.unstable -= 1
            offset = int(query.get("offset", "0"))
            query["offset"] = str(max(0, offset + self.shifts.get(offset, 0)))
        root = self.upstream.base_url("2.3.0").removesuffix("/2.3.0")
        async with self._session.get(root + request.path, params=query) as answer:
            body = await answer.read()
            return web.Response(body=body, status=answer.status, content_type="application/json")


@contextlib.asynccontextmanager
async def moving_flights(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock, *, unstable: int
) -> AsyncIterator[CatalogSync]:
    """A sync whose first `unstable` flight pages come with page 1 starting 10 rows late
    and page 2 10 rows early: 20 flights twice, 10 never."""
    async with (
        UnstableOrder(ll2, shifts={0: 10, 100: -10}, unstable=unstable) as moving,
        SqliteDatabase(tmp_path / "capcom.db") as db,
        aiohttp.ClientSession() as session,
    ):
        budget = Budget(UpstreamLedger(db), 1000, clock)
        yield sync_on(session, moving.base_url("2.3.0"), db, budget, clock)


async def test_flights_paged_with_repeated_and_missing_rows_are_all_held_after_the_next_round(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """First time through, page 1 starts 10 rows late and page 2 10 rows early: 20 flights
    come twice, 10 never, 110 distinct of LL2's 120. The sync sees fewer ids than
    `count`, pages through the flights again, and ends holding every one."""
    caplog.set_level(logging.INFO, "bot.catalog")
    async with moving_flights(tmp_path, ll2, clock, unstable=2) as sync:
        while not (await sync.position()).paged(Catalog.FLIGHTS):
            await sync.step()
        first_round = await sync.position()
        assert first_round.paged(Catalog.FLIGHTS)
        assert first_round.seen[Catalog.FLIGHTS] < FLIGHTS == first_round.totals[Catalog.FLIGHTS]
        assert not first_round.done(Catalog.FLIGHTS)

        await run_to_the_end(sync)
        position = await sync.position()
        assert position.held(Catalog.FLIGHTS) == FLIGHTS
        assert position.held(Catalog.ASTRONAUTS) == ASTRONAUTS
        assert position.rounds[Catalog.FLIGHTS] == 1 and not position.under_way
        cached = [
            await sync.repository.cached_flight(flight_id)
            for flight_id in sorted(ll2.catalog.flights)
        ]
        assert all(entry is not None for entry in cached)  # every flight's detail, no request
    assert "paging again for the 10 missing" in caplog.text
    flight_pages = [r for r in ll2.upstream_requests() if "spacecraft_flights" in r.path]
    assert len(flight_pages) == 2 * math.ceil(FLIGHTS / LIST_LIMIT)


async def test_a_catalog_that_never_holds_still_ends_its_pass(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Rows that keep moving: at most `MAX_ROUNDS` pagings, then the pass finishes with
    what it has and says so; the next pass looks again."""
    async with moving_flights(tmp_path, ll2, clock, unstable=1000) as sync:
        await run_to_the_end(sync)
        position = await sync.position()
    assert not position.under_way
    assert position.held(Catalog.FLIGHTS) == FLIGHTS - 10
    assert position.rounds[Catalog.FLIGHTS] == MAX_ROUNDS - 1
    settled = f"flights has {FLIGHTS - 10} of LL2's {FLIGHTS} after {MAX_ROUNDS} pagings"
    assert settled in caplog.text


async def test_a_restart_keeps_the_ids_a_pass_has_seen(
    tmp_path: Path, ll2: LL2Stub, make_sync: Callable[[Database, int], CatalogSync]
) -> None:
    path = tmp_path / "capcom.db"
    async with SqliteDatabase(path) as db:
        await make_sync(db, 1000).step()
    async with SqliteDatabase(path) as db:
        position = await make_sync(db, 1000).position()
    assert position.seen[Catalog.ASTRONAUTS] == LIST_LIMIT
    assert position.held(Catalog.ASTRONAUTS) == LIST_LIMIT
    assert position.totals[Catalog.ASTRONAUTS] == ASTRONAUTS


# --- sharing the hour with commands ---------------------------------------------------------

PAGE_SECONDS = 3.0
"""Simulated time one page takes."""


class RecordingBudget(Budget):
    """The budget, noting the time and priority of every slot it grants."""

    def __init__(self, ledger: UpstreamLedger, per_hour: int, clock: FakeClock) -> None:
        super().__init__(ledger, per_hour, clock)
        self.clock = clock
        self.granted: list[tuple[float, Priority]] = []

    async def try_acquire(self, priority: Priority, path: str) -> Denial | None:
        denial = await super().try_acquire(priority, path)
        if denial is None:
            self.granted.append((self.clock.now, priority))
        return denial


Command = Callable[[], Awaitable[Fetched[Any]]]


@dataclass
class Simulated:
    """What a compressed hour of the sync's loop beside some commands saw."""

    answers: list[str] = field(default_factory=list)
    """Per command: "LL2", "cache" or "refused" (the budget said no)."""
    waits: list[tuple[float, float, str | None]] = field(default_factory=list)
    """Turns without a page: (when, next turn, why), seconds from the start."""
    retry_in: list[float] = field(default_factory=list)
    """Per refused command: the seconds it was told to wait."""


async def simulate(
    sync: CatalogSync, clock: FakeClock, commands: list[tuple[float, Command]]
) -> Simulated:
    """The sync's loop as `cogs/catalog.py` runs it (first turn at 1 s; a page takes
    `PAGE_SECONDS`) and `commands` at their times, until the pass is done or an hour
    has gone by."""
    interval, start, seen = 1800.0, clock.now, Simulated()
    next_turn, turns = start + 1, 0
    while clock.now < start + 3600 and (not turns or (await sync.position()).under_way):
        if commands and start + commands[0][0] <= next_turn:
            at, command = commands.pop(0)
            clock.now = start + at
            try:
                fetched = await command()
            except Unavailable as error:
                assert error.reason is StaleReason.BUDGET and error.retry_at is not None
                seen.answers.append("refused")
                seen.retry_in.append(error.retry_at - clock.now)
                continue
            seen.answers.append("cache" if fetched.freshness.from_cache else "LL2")
            continue
        clock.now = next_turn
        turn = await sync.turn(interval)
        turns += 1
        if turn.step is None:
            seen.waits.append((clock.now - start, turn.next_at - start, turn.waiting))
        pause = turn.pause(clock.now, interval)
        next_turn = clock.now + (PAGE_SECONDS if turn.step else pause)
    return seen


def pages_of(budget: RecordingBudget, start: float) -> list[tuple[float, Priority]]:
    """The sync's pages: (seconds from `start`, priority)."""
    return [
        (at - start, priority)
        for at, priority in budget.granted
        if priority is not Priority.INTERACTIVE and at >= start
    ]


async def test_the_daily_refresh_yields_to_a_burst_of_commands_and_catches_up_after_it(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock
) -> None:
    """The free tier on a compressed clock, a day after a finished pass: the refresh pass
    and a burst of five astronaut searches (each a request to LL2). The sync takes
    spare slots while commands leave room, then only its paced page, then waits until
    the burst is `DEMAND_SECONDS` old; then it catches up and finishes the pass. Every
    command is answered from LL2; the hour never holds more than 15 requests."""
    async with SqliteDatabase(tmp_path / "capcom.db") as db, aiohttp.ClientSession() as session:
        budget = RecordingBudget(UpstreamLedger(db), 15, clock)
        sync = sync_on(session, ll2.base_url("2.3.0"), db, budget, clock)
        await simulate(sync, clock, [])  # a fresh install's first pass
        clock.advance(REFRESH_AFTER_SECONDS)
        start, before = clock.now, ll2.upstream_count()
        names = [ll2.catalog.astronauts[i]["name"] for i in sorted(ll2.catalog.astronauts)[:5]]
        burst: list[tuple[float, Command]] = [
            (2.0 * n, functools.partial(sync.repository.astronaut_search, name, INTERACTIVE))
            for n, name in enumerate(names)
        ]
        seen = await simulate(sync, clock, burst)
        position = await sync.position()

    assert seen.answers == ["LL2"] * 5
    spare, paced = Priority.SPARE, Priority.BACKGROUND
    assert pages_of(budget, start) == [
        (1, spare),
        (4, spare),
        (7, spare),
        (10, paced),
        (604, spare),
    ]
    # At 13 s the burst (5 commands, 0-8 s) left no spare slot and the paced page was
    # taken: the sync waits until only two of the burst are under 10 minutes old.
    assert seen.waits[0] == (13, 4 + DEMAND_SECONDS, StaleReason.BUDGET.value)
    assert not position.under_way and position.held(Catalog.ASTRONAUTS) == ASTRONAUTS
    assert ll2.upstream_count() - before == 10 <= 15


async def test_a_fresh_install_first_pass_comes_before_commands_for_its_hour(
    tmp_path: Path, ll2: LL2Stub, clock: FakeClock
) -> None:
    """A fresh install: the alert poll has taken its whole share (5), and commands ask for
    people the catalog has not fetched yet, one a second, while the first pass runs.
    Commands leave its pages the slots it knows it needs (one per catalog whose size it
    has not seen yet), so the pass is done in 13 s, never waiting; a command refused
    meanwhile is told to try again within `HOLD_SECONDS`, and after the pass the same
    commands are answered from the cache."""
    async with SqliteDatabase(tmp_path / "capcom.db") as db, aiohttp.ClientSession() as session:
        budget = RecordingBudget(UpstreamLedger(db), 15, clock)
        for _ in range(5):
            await budget.try_acquire(Priority.BACKGROUND, "astronauts/")
        sync = sync_on(session, ll2.base_url("2.3.0"), db, budget, clock)
        clock.advance(1)
        start = clock.now
        wanted = sorted(ll2.catalog.astronauts)[-10:]  # on the last astronaut page
        asks: list[tuple[float, Command]] = [
            (1.0 * n, functools.partial(sync.repository.astronaut, person, INTERACTIVE))
            for n, person in enumerate(wanted)
        ]
        seen = await simulate(sync, clock, asks)
        assert not (await sync.position()).under_way
        after = [await sync.repository.astronaut(person, INTERACTIVE) for person in wanted]
        hold_over = await budget.try_acquire(INTERACTIVE, "astronauts/")

    assert pages_of(budget, start) == [(t, Priority.SPARE) for t in (1, 4, 7, 10, 13)]
    # Commands had LL2 while the pass knew little of what it needed, then waited for
    # the last astronaut page (at 7 s), then had it from the cache.
    assert seen.answers == ["LL2"] * 5 + ["refused"] * 3 + ["cache"] * 2
    assert all(0 < wait <= HOLD_SECONDS for wait in seen.retry_in)
    assert all(fetched.freshness.from_cache for fetched in after)
    assert ll2.upstream_count() == 5 + 5 == len(budget.granted) - 5
    # The hour is full now (5 + 5 + 5), and a command is told so, not the hold's 2 minutes.
    assert hold_over is not None and hold_over.retry_at > start + 3000
