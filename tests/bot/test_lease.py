"""The background lease between two processes (two connections to one database): one
runs the background work; when it dies the other takes over within one poll interval."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.lease import BackgroundLease, lease_seconds
from storage.database import Database
from storage.leases import LeaseStore
from storage.open import open_database
from tests.conftest import FakeClock

pytestmark = pytest.mark.every_backend

POLL = 1200.0


def test_a_lease_lasts_half_a_poll_interval_at_most_a_minute() -> None:
    assert lease_seconds(1200) == 60
    assert lease_seconds(1) == 0.5


async def test_a_dead_holder_is_replaced_within_one_poll_interval(
    db: Database, database_url: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "bot.lease")
    async with open_database(database_url) as other_db:
        first = BackgroundLease(LeaseStore(db), lease_seconds(POLL), clock, "first")
        second = BackgroundLease(LeaseStore(other_db), lease_seconds(POLL), clock, "second")
        assert await first.hold()
        assert not await second.hold()
        died_at = clock.now
        # The first stops renewing (SIGKILL); the second keeps trying, as it does, for
        # at most a poll interval: a lease that never lapses fails here, not by timeout.
        while not await second.hold():
            clock.advance(second.renew_every)
            waited = clock.now - died_at
            assert waited < POLL, f"the second still stands by {waited:.0f} s after the death"
        assert clock.now - died_at <= second.seconds + second.renew_every < POLL
        assert not await first.hold()  # back from a pause: it is the other's now
    assert "background lease taken" in caplog.text
    assert "background lease lost" in caplog.text


async def test_a_clean_stop_hands_over_at_once(db: Database, clock: FakeClock) -> None:
    first = BackgroundLease(LeaseStore(db), lease_seconds(POLL), clock, "first")
    second = BackgroundLease(LeaseStore(db), lease_seconds(POLL), clock, "second")
    assert await first.hold()
    await first.release()
    assert await second.hold()


async def test_a_standby_starts_its_background_work_when_it_takes_the_lease(
    db: Database, clock: FakeClock
) -> None:
    """A standby's alert poll waits on the lease, and runs as soon as the renewal loop
    takes it, not a poll interval later."""
    first = BackgroundLease(LeaseStore(db), lease_seconds(POLL), clock, "first")
    second = BackgroundLease(LeaseStore(db), lease_seconds(POLL), clock, "second")
    await first.wait()
    poll = asyncio.ensure_future(second.wait())
    await asyncio.sleep(0.1)
    assert not poll.done()
    clock.advance(first.seconds)  # the first died a lease ago
    assert await second.hold()  # what cogs/lease.py does every third of a lease
    await asyncio.wait_for(poll, 1)
