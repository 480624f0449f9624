"""The data path end to end against the LL2 stand-in: cache, budget, 429, single flight."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.ll2.budget import Priority
from bot.ll2.client import NotFound, Unavailable
from bot.ll2.fairness import Asker, Shares
from bot.ll2.freshness import StaleReason
from bot.ll2.policy import LIST_KEEP, NOT_FOUND_TTL
from bot.ll2.repository import ASTRONAUT_PAGE, CLAIM_SECONDS, FETCH_LEASE, LL2Repository
from bot.render.errors import unavailable_text
from bot.render.lang import ENGLISH
from storage.database import Database
from storage.documents import MISSING_PREFIX, Document, DocumentCache
from storage.index import EntityKind
from storage.leases import Claim, LeaseStore
from storage.sqlite import SqliteDatabase
from tests.bot.ll2.conftest import DataPathFactory
from tests.conftest import FakeClock
from tests.paths import PROJECT_ROOT
from tests.stubs.ll2 import Fault, LL2Stub

USER = Priority.INTERACTIVE
OTHER = "another process"


@pytest.mark.parametrize("version", ["2.2.0", "2.3.0"])
async def test_flight_219_reads_the_same_in_both_versions(
    data_path: DataPathFactory, version: str
) -> None:
    flight = (await data_path(version).repository.flight(219, USER)).value
    assert flight.name == "Soyuz TMA-15"
    assert flight.docking_events[0].docking == datetime(2009, 5, 29, 12, 43, tzinfo=UTC)
    assert flight.docking_events[0].departure == datetime(2009, 12, 1, 3, 56, tzinfo=UTC)
    assert flight.landing is not None and flight.landing.location is not None
    assert flight.landing.location.name == "Kazakhstan"
    assert all(a.profile_image for a in flight.crew)


async def test_a_second_read_comes_from_the_cache(data_path: DataPathFactory, ll2: LL2Stub) -> None:
    path = data_path()
    first = await path.repository.flight(219, USER)
    second = await path.repository.flight(219, USER)
    assert ll2.upstream_count() == 1
    assert not first.freshness.from_cache and second.freshness.from_cache
    assert second.value == first.value


async def test_fifty_concurrent_reads_make_one_upstream_call(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    path = data_path()
    ll2.set_fault(Fault.STALL, stall_seconds=0.3)
    results = await asyncio.gather(*(path.repository.flight(219, USER) for _ in range(50)))
    assert ll2.upstream_count() == 1
    assert {r.value.id for r in results} == {219}
    assert (await path.budget.status()).used == 1


@pytest.mark.parametrize("poll_first", [False, True])
async def test_the_alert_poll_and_inspace_asking_together_cost_one_request(
    data_path: DataPathFactory, ll2: LL2Stub, poll_first: bool
) -> None:
    """Whichever asks first, the other takes the same answer: one LL2 answer that came
    after the poll began is as new as the poll needs."""
    path = data_path()
    ll2.set_fault(Fault.STALL, stall_seconds=0.3)

    async def poll() -> Any:
        after = path.clock()
        return await path.repository.astronauts_in_space(
            Priority.BACKGROUND, fetched_after=after, allow_stale=False
        )

    async def inspace() -> Any:
        return await path.repository.astronauts_in_space(USER, asker=Asker(1, None))

    first = asyncio.create_task(poll() if poll_first else inspace())
    await asyncio.sleep(0.1)  # the first fetch is under way
    path.clock.advance(1)  # and began before the second caller did
    second = await (inspace() if poll_first else poll())
    answers = [await first, second]
    assert ll2.upstream_count() == 1
    assert all(not answer.freshness.from_cache for answer in answers)
    assert answers[0].value == answers[1].value


async def test_the_poll_asks_again_when_the_command_it_joined_was_past_its_share(
    data_path: DataPathFactory, ll2: LL2Stub, clock: FakeClock
) -> None:
    """A failure that is the asker's own is not the poll's: it asks LL2 itself."""
    path = data_path(shares=Shares(1, 100, 15, clock))
    user = Asker(1, None)
    await path.repository.flight(219, USER, asker=user)  # the user's one request
    ll2.set_fault(Fault.STALL, stall_seconds=0.3)
    refused = asyncio.create_task(path.repository.astronauts_in_space(USER, asker=user))
    await asyncio.sleep(0)  # the command's load is under way: the poll joins it
    polled = await path.repository.astronauts_in_space(
        Priority.BACKGROUND, fetched_after=clock(), allow_stale=False
    )
    with pytest.raises(Unavailable) as over:
        await refused
    assert over.value.reason is StaleReason.SHARE
    assert not polled.freshness.from_cache
    assert ll2.upstream_count() == 2


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault.ERROR_500, StaleReason.UNREACHABLE),
        (Fault.HTML_502, StaleReason.UNREACHABLE),
        (Fault.TRUNCATED_JSON, StaleReason.ERROR),
        (Fault.WRONG_SHAPE, StaleReason.ERROR),
        (Fault.THROTTLE, StaleReason.THROTTLED),
    ],
)
async def test_an_out_of_date_copy_is_served_with_its_age_when_ll2_fails(
    data_path: DataPathFactory, ll2: LL2Stub, fault: Fault, reason: StaleReason
) -> None:
    path = data_path()
    fresh = await path.repository.flight(219, USER)
    path.clock.advance(40 * 86400)  # flight 219 ended in 2009: fresh for 30 days
    ll2.set_fault(fault)
    stale = await path.repository.flight(219, USER)
    assert stale.freshness.stale_reason is reason
    assert stale.freshness.fetched_at == fresh.freshness.fetched_at
    assert stale.value == fresh.value


async def test_nothing_cached_and_ll2_down_is_a_plain_error(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    path = data_path()
    await ll2.stop_listening()
    with pytest.raises(Unavailable) as raised:
        await path.repository.flight(219, USER)
    assert raised.value.reason is StaleReason.UNREACHABLE
    error = raised.value
    message = unavailable_text(error.reason, error.retry_at, path.clock.now, ENGLISH)
    assert message == "LL2 is unreachable and nothing is cached yet; try again in 60 seconds."
    assert (await path.budget.status()).used == 3  # three attempts, each inside the budget


async def test_a_failed_attempt_is_retried_inside_the_budget(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    path = data_path()
    ll2.set_fault(Fault.ERROR_500, times=1)
    flight = await path.repository.flight(219, USER)
    assert flight.value.id == 219
    assert ll2.upstream_count() == 2
    assert (await path.budget.status()).used == 2


async def test_retries_stop_when_the_budget_is_spent(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    path = data_path(per_hour=2)
    ll2.set_fault(Fault.ERROR_500)
    with pytest.raises(Unavailable) as raised:
        await path.repository.flight(219, USER)
    assert raised.value.reason is StaleReason.BUDGET
    assert ll2.upstream_count() == 2


async def test_a_429_stops_every_call_until_its_time(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    path = data_path()
    ll2.set_fault(Fault.THROTTLE, retry_after=120, times=1)
    with pytest.raises(Unavailable) as raised:
        await path.repository.flight(219, USER)
    assert raised.value.reason is StaleReason.THROTTLED
    assert raised.value.retry_at == path.clock.now + 120
    with pytest.raises(Unavailable):
        await path.repository.astronaut(545, USER)
    assert ll2.upstream_count() == 1
    path.clock.advance(121)
    assert (await path.repository.astronaut(545, USER)).value.name == "Robert L. Behnken"
    assert ll2.upstream_count() == 2


async def test_an_unknown_id_is_not_found(data_path: DataPathFactory) -> None:
    with pytest.raises(NotFound):
        await data_path().repository.flight(999_999, USER)


async def test_an_unknown_id_asked_again_is_answered_from_the_cache_for_six_hours(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    """LL2's 404 is kept in SQLite: another process (or the bot after a restart) on the
    same database does not spend a request to hear it again."""
    with pytest.raises(NotFound):
        await data_path().repository.flight(999_999, USER)
    with pytest.raises(NotFound):
        await data_path().repository.flight(999_999, USER)
    assert ll2.upstream_count() == 1
    path = data_path()
    path.clock.advance(6 * 3600 + 1)
    with pytest.raises(NotFound):
        await path.repository.flight(999_999, USER)
    assert ll2.upstream_count() == 2


async def test_every_response_feeds_the_index(data_path: DataPathFactory) -> None:
    path = data_path()
    await path.repository.flight(219, USER)
    found = await path.index.search(EntityKind.ASTRONAUT, "roma")
    assert [e.name for e in found] == ["Roman Romanenko"]
    flights = await path.index.search(EntityKind.FLIGHT, "soyuz tma")
    assert flights[0].label == "Soyuz TMA-15 · 2009-05-27"
    spacecraft = await path.index.get(EntityKind.SPACECRAFT, 78)
    assert spacecraft is not None and spacecraft.name == "Soyuz TMA-15"


_THROTTLED_PROCESS = """
import asyncio, sys
from pathlib import Path
from typing import Any
import aiohttp
from bot.ll2.api import Endpoints
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import LL2Client, Unavailable
from storage.sqlite import SqliteDatabase
from storage.upstream import UpstreamLedger

async def main() -> None:
    async with SqliteDatabase(Path(sys.argv[1])) as db, aiohttp.ClientSession() as session:
        client = LL2Client(session, sys.argv[2], Budget(UpstreamLedger(db), 15))
        try:
            await client.get(Endpoints("2.2.0").flight(219), Priority.INTERACTIVE)
            print("fetched")
        except Unavailable as error:
            print(error.reason.name)

asyncio.run(main())
"""


async def test_a_429_seen_by_one_process_holds_back_another(tmp_path: Path, ll2: LL2Stub) -> None:
    path = tmp_path / "capcom.db"
    async with SqliteDatabase(path):
        pass
    ll2.set_fault(Fault.THROTTLE, retry_after=600, times=1)

    async def run() -> str:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _THROTTLED_PROCESS,
            str(path),
            ll2.base_url(),
            cwd=PROJECT_ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        stdout, _ = await process.communicate()
        return stdout.decode().strip()

    assert await run() == "THROTTLED"
    assert await run() == "THROTTLED"
    assert ll2.upstream_count() == 1


async def test_a_fresh_cached_copy_is_served_without_touching_sqlite(
    data_path: DataPathFactory, ll2: LL2Stub, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_path()
    first = await path.repository.flight(219, USER)
    reads: list[str] = []
    real_get = DocumentCache.get

    async def counted_get(cache: DocumentCache, key: str) -> Document | None:
        reads.append(key)
        return await real_get(cache, key)

    monkeypatch.setattr(DocumentCache, "get", counted_get)
    again = [await path.repository.flight(219, USER) for _ in range(3)]
    assert all(a.value is first.value and a.freshness.from_cache for a in again)
    assert path.repository.fresh_flight(219) == again[0]
    assert reads == [] and ll2.upstream_count() == 1
    path.clock.advance(31 * 86400)  # past the 30 days of a flight that ended long ago
    assert path.repository.fresh_flight(219) is None
    await path.repository.flight(219, USER)
    assert reads and ll2.upstream_count() == 2


async def test_a_newer_copy_from_another_process_is_read_once_the_memory_copy_is_stale(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    """Another process can only write a newer copy: one still fresh in memory does not
    need it, and once that one is past its freshness the newer copy is read from SQLite."""
    mine, other = data_path(), data_path()  # two processes' repositories, one database
    first = await mine.repository.flight(219, USER)
    mine.clock.advance(86400)
    newer = await other.repository.flight(219, USER, fetched_after=other.clock())
    assert newer.freshness.fetched_at > first.freshness.fetched_at
    assert ll2.upstream_count() == 2
    still = await mine.repository.flight(219, USER)
    assert still.value is first.value  # fresh for 30 days: the newer copy is not needed
    mine.clock.advance(30 * 86400 - 60)  # mine is 30 days old now, the newer one 29
    read = await mine.repository.flight(219, USER)
    assert read.freshness.fetched_at == newer.freshness.fetched_at and read.freshness.from_cache
    assert read.value is not first.value and ll2.upstream_count() == 2


async def test_with_a_database_stamp_another_process_s_change_is_seen_at_once(
    data_path: DataPathFactory, ll2: LL2Stub, db: Database
) -> None:
    assert isinstance(db, SqliteDatabase)  # the stamp is the SQLite files'
    path = data_path(write_stamp=db.write_stamp())
    first = await path.repository.flight(219, USER)
    again = await path.repository.flight(219, USER)
    assert again.value is first.value and again.freshness.from_cache
    await db.execute("DELETE FROM documents")  # e.g. another process's doing
    refetched = await path.repository.flight(219, USER)
    assert not refetched.freshness.from_cache and ll2.upstream_count() == 2


async def test_list_pages_past_their_keep_are_pruned_details_stay(
    data_path: DataPathFactory, db: Database
) -> None:
    """Searches and list pages are keyed by what users typed: each new text or page
    stored one more document for good. Past `LIST_KEEP` they go; details stay."""
    path = data_path()
    await path.repository.astronaut_search("frank", Priority.INTERACTIVE)
    await path.repository.flight_list(None, 0, Priority.INTERACTIVE)
    await path.repository.flight(219, Priority.INTERACTIVE)
    keys = {row["key"] for row in await db.fetchall("SELECT key FROM documents")}
    assert any(key.startswith("astronauts:") for key in keys)
    assert await path.repository.prune() == 0
    path.clock.advance(LIST_KEEP.total_seconds() + 1)
    assert await path.repository.prune() == 2
    left = {row["key"] for row in await db.fetchall("SELECT key FROM documents")}
    assert "flight:219" in left
    assert not any(key.startswith(("astronauts:", "flights:")) for key in left)


async def test_a_page_of_whole_details_is_not_kept_parsed(data_path: DataPathFactory) -> None:
    """The catalog sync's detailed pages are read for their items (each cached as its own
    document); keeping the page parsed too would hold a hundred details twice."""
    path = data_path("2.3.0", per_hour=100)
    repository = path.repository
    endpoints = repository.endpoints
    await repository.load(endpoints.astronauts(detailed=True), ASTRONAUT_PAGE, Priority.BACKGROUND)
    await repository.load(endpoints.astronauts(search="rom"), ASTRONAUT_PAGE, Priority.INTERACTIVE)
    kept = repository._parsed
    assert endpoints.astronauts(search="rom").key in kept
    assert endpoints.astronauts(detailed=True).key not in kept


async def test_two_processes_missing_the_same_document_ask_ll2_once(
    data_path: DataPathFactory, ll2: LL2Stub
) -> None:
    """Single flight across a fleet: two repositories on one database (two processes)
    miss flight 219 together; one asks LL2, the other answers with what it stored."""
    first, second = data_path().repository, data_path().repository
    ll2.set_fault(Fault.STALL, stall_seconds=0.5)
    answers = await asyncio.gather(first.flight(219, USER), second.flight(219, USER))
    assert ll2.upstream_count() == 1
    assert answers[0].value == answers[1].value
    assert sorted(a.freshness.from_cache for a in answers) == [False, True]


async def test_a_claim_left_by_a_dead_process_is_taken_over(
    data_path: DataPathFactory,
    ll2: LL2Stub,
    db: Database,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process killed mid-fetch leaves its claim; past `CLAIM_SECONDS` nobody waits for it."""
    path = data_path()
    lease = FETCH_LEASE + path.repository.endpoints.flight(219).key
    leases = LeaseStore(db)
    assert (await leases.claim(lease, "dead", clock() - CLAIM_SECONDS - 1, CLAIM_SECONDS)).held

    async def no_waiting(*_: object) -> None:
        raise AssertionError("waited for a dead process's claim")

    monkeypatch.setattr(LL2Repository, "_answer_from_elsewhere", no_waiting)
    await path.repository.flight(219, USER)
    assert ll2.upstream_count() == 1
    assert (await leases.claim(lease, "a third", clock(), CLAIM_SECONDS)).held  # released


async def test_a_command_waiting_on_another_fetch_is_still_answered_within_its_deadline(
    data_path: DataPathFactory, ll2: LL2Stub, clock: FakeClock
) -> None:
    """The alert poll (or another process) is fetching the document a command needs when
    LL2 hangs: the command's wait for that fetch and its own attempt share one deadline,
    so the user gets the cached copy with its age by then, not after both."""
    deadline = 2.0
    poll = data_path(timeout=30.0).repository
    command = data_path(timeout=30.0, deadlines={USER: deadline}).repository
    await poll.flight(219, USER)
    clock.advance(40 * 86400)
    ll2.set_fault(Fault.HANG)
    hanging = asyncio.create_task(poll.flight(219, Priority.BACKGROUND))
    await asyncio.sleep(0.2)  # the poll's claim is taken
    started = time.monotonic()
    stale = await command.flight(219, USER)
    waited = time.monotonic() - started
    hanging.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await hanging
    assert stale.freshness.stale_reason is StaleReason.UNREACHABLE
    assert waited < deadline + 0.5, f"answered after {waited:.1f} s"


async def test_an_answer_stored_just_before_the_other_lets_go_of_its_claim_is_used(
    data_path: DataPathFactory,
    ll2: LL2Stub,
    db: Database,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Waiting for another process's fetch, a process reads the cache, finds nothing yet,
    and takes the claim: in between, the other stored its answer and let go. That answer
    is used; LL2 is not asked for the same document a second time."""
    path = data_path()
    await path.repository.flight(219, USER)
    key = path.repository.endpoints.flight(219).key
    cache = DocumentCache(db)
    answer = await cache.get(key)
    assert answer is not None
    await db.execute("DELETE FROM documents WHERE key = ?", (key,))
    leases, lease = LeaseStore(db), FETCH_LEASE + key
    assert (await leases.claim(lease, OTHER, clock(), CLAIM_SECONDS)).held  # the other fetches
    claim = LeaseStore.claim
    calls = 0

    async def the_other_finishes_first(self: LeaseStore, *args: Any) -> Claim:
        nonlocal calls
        calls += 1
        if calls == 2:  # the waiting process's first try after reading the cache
            await cache.put(key, answer.body, clock())
            await leases.release(lease, OTHER)
        return await claim(self, *args)

    monkeypatch.setattr(LeaseStore, "claim", the_other_finishes_first)
    waiting = data_path().repository
    fetched = await waiting.flight(219, USER)
    assert calls == 2
    assert ll2.upstream_count() == 1  # the first fetch, before the other process's
    assert fetched.value.id == 219 and fetched.freshness.from_cache
    assert (await leases.claim(lease, "a third", clock(), CLAIM_SECONDS)).held  # released


async def test_a_process_that_stops_waiting_leaves_the_other_s_claim_alone(
    data_path: DataPathFactory, ll2: LL2Stub, db: Database, clock: FakeClock
) -> None:
    """A command that could wait no longer for another process's slow fetch asks LL2
    itself; the other's claim stays, so a third process still waits for that fetch."""
    path = data_path(deadlines={USER: 2.0})
    leases, lease = LeaseStore(db), FETCH_LEASE + path.repository.endpoints.flight(219).key
    assert (await leases.claim(lease, OTHER, clock(), CLAIM_SECONDS)).held
    await path.repository.flight(219, USER)
    assert ll2.upstream_count() == 1
    assert not (await leases.claim(lease, "a third", clock(), CLAIM_SECONDS)).held


async def test_notes_of_missing_ids_go_once_they_no_longer_answer(
    data_path: DataPathFactory, db: Database
) -> None:
    """Each id a user typed that LL2 lacks leaves a note: kept while it answers (6 h),
    then pruned, so typed ids do not pile up for good."""
    path = data_path()
    with pytest.raises(NotFound):
        await path.repository.flight(999_999, USER)
    key = path.repository.endpoints.flight(999_999).key
    assert await path.repository.prune() == 0
    assert await DocumentCache(db).get(MISSING_PREFIX + key) is not None
    path.clock.advance(NOT_FOUND_TTL.total_seconds() + 1)
    assert await path.repository.prune() == 1
    assert await DocumentCache(db).get(MISSING_PREFIX + key) is None
