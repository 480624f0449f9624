"""The launch watch on a real database: what Capcom last knew of each upcoming launch,
the poll's time, and the ledger that sends each reminder and notice once."""

from __future__ import annotations

import dataclasses

import pytest

from storage.alerts import AlertStore, Subscription
from storage.database import Database
from storage.launches import LastPoll, LaunchEntry, LaunchStore, WatchedLaunch
from storage.ledger import LedgerState
from tests.storage.ledger import sends_once

pytestmark = pytest.mark.every_backend

NOW = 1_800_000_000.25
GUILD = 1_576_535_697_735_680_000  # Discord ids need 64 bits
CHANNEL = 1_576_535_697_735_680_001
LAUNCH = "862b54e3-7bf8-48e5-8cd1-d77257d5fde9"
NET = NOW + 5 * 3600.0

WATCH = WatchedLaunch(
    launch_id=LAUNCH,
    name="Falcon 9 Block 5 | Crew-12",
    net=NET,
    precision_id=1,
    status_id=1,
    flight_id=2990,
    webcast_url="https://www.youtube.com/watch?v=zCM-Kwq91cc",
    page_url=None,
    planned_net=NET,
    net_seen_at=NOW,
    first_seen=NOW,
    last_seen=NOW,
)


def reminder(key: str = f"reminder:3600@{int(NET)}") -> LaunchEntry:
    return LaunchEntry(GUILD, LAUNCH, key, CHANNEL, LedgerState.PENDING)


async def test_a_watch_round_trips_and_keeps_its_first_sight(db: Database) -> None:
    store = LaunchStore(db)
    assert await store.watches() == {}
    assert await store.last_poll() is None
    await store.record([WATCH], [], NOW)
    moved = dataclasses.replace(
        WATCH,
        net=NET + 3600,
        planned_net=NET + 3600,
        first_seen=NOW + 60,
        last_seen=NOW + 60,
        revision=1,
        status_id=None,
        webcast_url=None,
    )
    await store.record([moved], [], NOW + 60)
    assert await store.watches() == {LAUNCH: dataclasses.replace(moved, first_seen=NOW)}
    assert await store.last_poll() == LastPoll(NOW + 60, failed=False)
    await store.record([], [], NOW + 120, failed=True)
    assert await store.last_poll() == LastPoll(NOW + 120, failed=True)
    assert await store.watches() == {LAUNCH: dataclasses.replace(moved, first_seen=NOW)}


async def test_a_change_notice_is_planned_once_with_what_changed(db: Database) -> None:
    store = LaunchStore(db)
    change = LaunchEntry(
        GUILD,
        LAUNCH,
        "change:1",
        CHANNEL,
        LedgerState.PENDING,
        change_kind="later",
        old_net=NET,
        new_net=NET + 86_400,
        status_id=1,
    )
    await store.record([WATCH], [change], NOW)
    await store.record([WATCH], [dataclasses.replace(change, old_net=0.0)], NOW + 1)
    assert await store.pending() == [dataclasses.replace(change, created_at=NOW)]


async def test_a_reminder_goes_through_the_ledger_once_and_counts_as_sent(db: Database) -> None:
    store = LaunchStore(db)
    await store.record([WATCH], [], NOW)
    overtaken = dataclasses.replace(
        reminder(f"reminder:86400@{int(NET)}"), state=LedgerState.DROPPED
    )
    await store.plan([reminder(), overtaken], NOW)
    await store.plan([reminder()], NOW + 1)  # planned again by the next cycle: no new row
    entry = await sends_once(store, NOW + 2)
    assert entry.key == reminder().key


async def test_a_sent_reminder_is_stale_once_its_launch_changes_until_edited(
    db: Database,
) -> None:
    store = LaunchStore(db)
    await store.record([WATCH], [reminder()], NOW)
    [entry] = await store.pending()
    await store.finish(entry, LedgerState.SENT, NOW, message_id=42)
    assert await store.stale_reminders() == []
    await store.record([dataclasses.replace(WATCH, revision=1)], [], NOW + 60)
    [stale] = await store.stale_reminders()
    assert (stale.key, stale.message_id, stale.edited_revision) == (entry.key, 42, 0)
    await store.edited(stale, 1, NOW + 61)
    assert await store.stale_reminders() == []


async def test_launches_long_gone_are_forgotten_with_their_ledger(db: Database) -> None:
    store = LaunchStore(db)
    other = dataclasses.replace(WATCH, launch_id="other", last_seen=NOW + 10)
    await store.record([WATCH, other], [reminder()], NOW)
    assert await store.forget(NOW + 1) == 1
    assert set(await store.watches()) == {"other"}
    assert await store.pending() == []


async def test_a_subscription_keeps_its_reminder_offsets(db: Database) -> None:
    alerts = AlertStore(db)
    subscription = Subscription(
        GUILD, CHANNEL, None, NOW, frozenset(), reminder_offsets="3600,600", reminders=True
    )
    await alerts.subscribe(subscription)
    assert await alerts.subscription(GUILD) == subscription
