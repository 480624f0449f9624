"""A user's share of the hour is spent only on requests that reach LL2."""

from __future__ import annotations

import pytest

from bot.ll2.budget import Priority
from bot.ll2.client import Unavailable
from bot.ll2.fairness import Asker, OverShare, Shares
from bot.ll2.freshness import StaleReason
from tests.bot.ll2.conftest import DataPathFactory
from tests.conftest import FakeClock
from tests.stubs.ll2 import LL2Stub

USER = Priority.INTERACTIVE


async def test_a_request_the_spent_budget_stopped_does_not_count_against_the_user(
    data_path: DataPathFactory, ll2: LL2Stub, clock: FakeClock
) -> None:
    path = data_path(per_hour=3, shares=Shares(3, 100, 3, clock))
    first, second, *others = sorted(ll2.catalog.astronauts)
    two, one = Asker(user_id=2, guild_id=None), Asker(user_id=1, guild_id=None)
    await path.repository.astronaut(first, USER, asker=two)
    await path.repository.astronaut(second, USER, asker=two)
    clock.advance(1800)
    await path.repository.flight(219, USER, asker=one)
    for astronaut_id in others[:2]:  # the hour's budget is spent: nothing reaches LL2
        with pytest.raises(Unavailable) as refused:
            await path.repository.astronaut(astronaut_id, USER, asker=one)
        assert refused.value.reason is StaleReason.BUDGET
    clock.advance(1801)  # user 2's requests leave the window; user 1's stays
    for astronaut_id in others[:2]:
        await path.repository.astronaut(astronaut_id, USER, asker=one)
    assert ll2.upstream_count() == 5
    with pytest.raises(OverShare):
        await path.repository.astronaut(others[2], USER, asker=one)
    assert ll2.upstream_count() == 5
