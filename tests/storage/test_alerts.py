"""The alert store on a real database: subscriptions with Discord's 64-bit ids, events kept
once, and the ledger that makes each alert go out once."""

from __future__ import annotations

import dataclasses

import pytest

from storage.alerts import AlertStore, FlightEvent, Subscription, TrackedFlight
from storage.database import Database
from tests.storage.ledger import sends_once

pytestmark = pytest.mark.every_backend

NOW = 1_800_000_000.25
GUILD = 1_576_535_697_735_680_000  # Discord ids need 64 bits
CHANNEL = 1_576_535_697_735_680_001
ROLE = 1_576_535_697_735_680_002


async def test_a_subscription_keeps_its_ids_and_start_and_a_new_channel_unpauses(
    db: Database,
) -> None:
    store = AlertStore(db)
    kinds = frozenset({"launch", "landing"})
    await store.subscribe(Subscription(GUILD, CHANNEL, ROLE, NOW, kinds=kinds))
    await store.pause(GUILD, "Capcom cannot send messages in #launches", NOW + 1)
    assert (await store.subscription(GUILD)) == Subscription(
        GUILD, CHANNEL, ROLE, NOW, kinds, paused_reason="Capcom cannot send messages in #launches"
    )
    await store.subscribe(Subscription(GUILD, CHANNEL + 1, None, NOW + 2, kinds=kinds))
    assert await store.subscriptions() == [Subscription(GUILD, CHANNEL + 1, None, NOW, kinds)]
    assert await store.unsubscribe(GUILD)
    assert not await store.unsubscribe(GUILD)


async def test_an_event_is_new_once_and_planned_once_per_server(db: Database) -> None:
    store = AlertStore(db)
    subscription = Subscription(GUILD, CHANNEL, None, NOW)
    flight = TrackedFlight(219, 78, True, False, NOW - 86_400, frozenset({233, 545}))
    landing = FlightEvent(219, "landing", NOW - 60, NOW)
    assert await store.record([flight], [landing], NOW) == [landing]
    assert await store.record([flight], [landing], NOW + 1) == []
    tracked = (await store.tracked())[219]
    assert (tracked.crew, tracked.first_seen, tracked.in_space) == (
        frozenset({233, 545}),
        NOW,
        False,
    )
    assert await store.unplanned() == [landing]
    await store.plan(landing, [subscription], NOW)
    await store.plan(landing, [subscription], NOW + 1)  # a retried cycle
    assert await store.unplanned() == []
    entry = await sends_once(store, NOW + 2)
    assert (entry.guild_id, entry.channel_id) == (GUILD, CHANNEL)


async def test_crewed_in_space_is_the_crewed_flights_still_up_with_their_crews(
    db: Database,
) -> None:
    """What /inspace groups people by: not the landed crews, not the cargo ship."""
    store = AlertStore(db)
    up = TrackedFlight(219, 78, True, True, NOW - 86_400, frozenset({233, 545}))
    landed = TrackedFlight(220, 78, True, False, NOW - 9 * 86_400, frozenset({14}))
    cargo = TrackedFlight(221, 80, False, True, NOW - 86_400, frozenset())
    await store.record([up, landed, cargo], [], NOW)
    assert set(await store.tracked()) == {219, 220, 221}
    assert await store.crewed_in_space() == {219: dataclasses.replace(up, first_seen=NOW)}
