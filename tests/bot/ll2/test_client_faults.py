"""The LL2 client's deadline: a hanging or failing LL2 costs a command a bounded time,
retries included, and never more attempts than fit in it."""

from __future__ import annotations

import time

import aiohttp
import pytest

from bot.ll2.api import Endpoints
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import INTERACTIVE_DEADLINE, LL2Client, Unavailable
from bot.ll2.freshness import StaleReason
from storage.database import Database
from storage.upstream import UpstreamLedger
from tests.conftest import FakeClock
from tests.stubs.ll2 import Fault, LL2Stub

FLIGHT = Endpoints("2.2.0").flight(219)


class SteppingTimer(FakeClock):
    """A monotonic clock that moves only when the client sleeps between attempts."""

    def __init__(self) -> None:
        super().__init__(0.0)

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)


def client(
    session: aiohttp.ClientSession,
    ll2: LL2Stub,
    db: Database,
    deadline: float,
    timer: SteppingTimer | None = None,
) -> LL2Client:
    budget = Budget(UpstreamLedger(db), 100)
    if timer is None:
        return LL2Client(
            session, ll2.base_url(), budget, deadlines={Priority.INTERACTIVE: deadline}
        )
    return LL2Client(
        session,
        ll2.base_url(),
        budget,
        deadlines={Priority.INTERACTIVE: deadline},
        timer=timer,
        sleep=timer.sleep,
    )


async def test_a_hanging_ll2_is_given_up_at_the_deadline(
    session: aiohttp.ClientSession, ll2: LL2Stub, db: Database
) -> None:
    ll2.set_fault(Fault.HANG)
    hasty = client(session, ll2, db, 0.5)
    started = time.monotonic()
    with pytest.raises(Unavailable) as failure:
        await hasty.get(FLIGHT, Priority.INTERACTIVE)
    assert time.monotonic() - started < 2.0
    assert failure.value.reason is StaleReason.UNREACHABLE
    assert "no answer within 0.5 s" in failure.value.detail
    assert ll2.upstream_count() == 1  # no retry: nothing left of the deadline


@pytest.mark.parametrize(("deadline", "attempts"), [(1.2, 1), (INTERACTIVE_DEADLINE, 3)])
async def test_a_retry_is_only_started_if_it_fits_the_deadline(
    session: aiohttp.ClientSession, ll2: LL2Stub, db: Database, deadline: float, attempts: int
) -> None:
    """The first back-off is 0.25-0.75 s and an attempt needs at least 1 s: a 1.2 s
    deadline leaves no room for a retry, 8 s for both."""
    ll2.set_fault(Fault.ERROR_500)
    timer = SteppingTimer()
    failing = client(session, ll2, db, deadline, timer)
    with pytest.raises(Unavailable):
        await failing.get(FLIGHT, Priority.INTERACTIVE)
    assert ll2.upstream_count() == attempts


async def test_the_deadline_is_per_priority(
    session: aiohttp.ClientSession, ll2: LL2Stub, db: Database
) -> None:
    ll2.set_fault(Fault.STALL, stall_seconds=0.6)
    patient = client(session, ll2, db, 0.3)
    assert await patient.get(FLIGHT, Priority.BACKGROUND)
    with pytest.raises(Unavailable):
        await patient.get(FLIGHT, Priority.INTERACTIVE)
