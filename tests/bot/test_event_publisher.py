"""The scheduled-event sync's edge: specs fitted to Discord's limits, a long name still
recognised after a crash, and only the servers on this process's shards acted on."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.alerts.event_plan import EventSpec, event_spec
from bot.alerts.outcomes import OwnEvent
from bot.event_publisher import EventPublisher, draft
from bot.ll2.launches import UpcomingLaunch
from storage.alerts import AlertStore, Subscription
from storage.database import Database
from tests.stubs.ll2.convert import UPCOMING_CREW12_GO, load_fixture

START = datetime(2026, 2, 11, 11, 1, 4, tzinfo=UTC)


def spec(name: str, *locations: str) -> EventSpec:
    return EventSpec(
        "x", name, "Status: Go", START, START + timedelta(hours=1), locations, nowhere="Online"
    )


@pytest.fixture
def alerts(db: Database) -> AlertStore:
    return AlertStore(db)


def client() -> discord.AutoShardedClient:
    return discord.AutoShardedClient(intents=discord.Intents.none())


def test_only_a_web_link_becomes_the_location_and_a_long_name_is_still_matched(
    alerts: AlertStore,
) -> None:
    fitted = draft(spec("Crew-12 launch", "javascript:alert(1)", "https://ll.test/launch/x/"))
    assert fitted.location == "https://ll.test/launch/x/"
    no_link = dataclasses.replace(spec("Запуск Crew-12", "javascript:alert(1)"), nowhere="Онлайн")
    assert draft(no_link).location == "Онлайн"
    long = "N" * 500
    made = draft(spec(long))
    event = OwnEvent(1, made.name, START, None, None, active=False)
    publisher = EventPublisher(client(), alerts)
    assert len(made.name) == 100 and publisher.matches(event, long, START)
    assert not publisher.matches(event, long, START + timedelta(seconds=1))


async def test_a_process_acts_only_on_servers_of_its_own_shards(alerts: AlertStore) -> None:
    sharded = discord.AutoShardedClient(
        intents=discord.Intents.none(), shard_count=4, shard_ids=[1]
    )
    publisher = EventPublisher(sharded, alerts)
    assert publisher.reaches((5 << 22) | 7)  # shard 5 % 4 == 1
    assert not publisher.reaches((6 << 22) | 5)
    everything = EventPublisher(client(), alerts)
    assert everything.reaches(6 << 22)


async def test_events_are_worded_in_the_language_the_admin_picked(alerts: AlertStore) -> None:
    """The server's own language comes from the client's cache (the e2e tests cover it);
    a pick in /alerts channel wins, and a server Capcom knows nothing of reads English."""
    publisher = EventPublisher(client(), alerts)
    launch = UpcomingLaunch.model_validate(load_fixture(UPCOMING_CREW12_GO))
    assert event_spec(launch, await publisher.words(7)).name == "Crew-12 launch"
    await alerts.subscribe(Subscription(7, 70, None, 0.0, language="ja"))
    assert event_spec(launch, await publisher.words(7)).name == "Crew-12 の打ち上げ"
