"""The alert store on a real database: subscriptions with Discord's 64-bit ids, events kept
once, and the ledger that makes each alert go out once."""

from __future__ import annotations

import dataclasses

import pytest

from bot.alert_kinds import LANDING, EventType
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
    types = frozenset({EventType.LAUNCH, EventType.LANDING})
    await store.subscribe(Subscription(GUILD, CHANNEL, ROLE, NOW, event_types=types))
    await store.pause(GUILD, "Capcom cannot send messages in #launches", NOW + 1)
    assert (await store.subscription(GUILD)) == Subscription(
        GUILD, CHANNEL, ROLE, NOW, types, paused_reason="Capcom cannot send messages in #launches"
    )
    await store.subscribe(Subscription(GUILD, CHANNEL + 1, None, NOW + 2, event_types=types))
    assert await store.subscriptions() == [Subscription(GUILD, CHANNEL + 1, None, NOW, types)]
    assert await store.unsubscribe(GUILD)
    assert not await store.unsubscribe(GUILD)


async def test_a_picked_language_is_kept_until_the_admin_subscribes_without_one(
    db: Database,
) -> None:
    store = AlertStore(db)
    await store.subscribe(Subscription(GUILD, CHANNEL, None, NOW, language="pt-BR"))
    subscription = await store.subscription(GUILD)
    assert subscription is not None and subscription.language == "pt-BR"
    await store.subscribe(Subscription(GUILD, CHANNEL, None, NOW, language="ja"))
    assert [s.language for s in await store.subscriptions()] == ["ja"]
    await store.subscribe(Subscription(GUILD, CHANNEL, None, NOW))  # the server's own again
    subscription = await store.subscription(GUILD)
    assert subscription is not None and subscription.language is None


async def test_an_event_is_new_once_and_planned_once_per_server(db: Database) -> None:
    store = AlertStore(db)
    subscription = Subscription(GUILD, CHANNEL, None, NOW)
    flight = TrackedFlight(219, 78, True, False, NOW - 86_400, frozenset({233, 545}))
    landing = FlightEvent(219, LANDING, NOW - 60, NOW)
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


@pytest.mark.parametrize("unknown", ["splashdown", "docking:next"])
async def test_an_event_of_a_kind_capcom_does_not_know_is_skipped(
    db: Database, unknown: str
) -> None:
    """An event a newer version stored, with its ledger row, is neither planned nor
    sent by this one; the landing beside it still is."""
    store = AlertStore(db)
    landing = FlightEvent(219, LANDING, NOW - 60, NOW)
    await store.record([], [landing], NOW)
    await db.execute(
        "INSERT INTO flight_events (flight_id, kind, occurred_at, detected_at) VALUES (?, ?, ?, ?)",
        (220, unknown, NOW - 60, NOW),
    )
    await db.execute(
        "INSERT INTO alert_ledger (guild_id, flight_id, kind, channel_id, state, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
        (GUILD, 220, unknown, CHANNEL, NOW, NOW),
    )
    assert await store.unplanned() == [landing]
    await store.plan(landing, [Subscription(GUILD, CHANNEL, None, NOW)], NOW)
    assert [(entry.flight_id, entry.kind) for entry in await store.pending()] == [(219, LANDING)]


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
