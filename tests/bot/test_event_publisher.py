"""The scheduled-event sync's edge: specs fitted to Discord's limits, a long name still
recognised after a crash, and only the servers on this process's shards acted on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord

from bot.alerts.event_plan import EventSpec
from bot.alerts.outcomes import OwnEvent
from bot.event_publisher import EventPublisher, draft

START = datetime(2026, 2, 11, 11, 1, 4, tzinfo=UTC)


def spec(name: str, *locations: str) -> EventSpec:
    return EventSpec("x", name, "Status: Go", START, START + timedelta(hours=1), locations)


def test_only_a_web_link_becomes_the_location_and_a_long_name_is_still_matched() -> None:
    fitted = draft(spec("Crew-12 launch", "javascript:alert(1)", "https://ll.test/launch/x/"))
    assert fitted.location == "https://ll.test/launch/x/"
    long = "N" * 500
    made = draft(spec(long))
    event = OwnEvent(1, made.name, START, None, None, active=False)
    publisher = EventPublisher(discord.AutoShardedClient(intents=discord.Intents.none()))
    assert len(made.name) == 100 and publisher.matches(event, long, START)
    assert not publisher.matches(event, long, START + timedelta(seconds=1))


async def test_a_process_acts_only_on_servers_of_its_own_shards() -> None:
    client = discord.AutoShardedClient(intents=discord.Intents.none(), shard_count=4, shard_ids=[1])
    publisher = EventPublisher(client)
    assert publisher.reaches((5 << 22) | 7)  # shard 5 % 4 == 1
    assert not publisher.reaches((6 << 22) | 5)
    everything = EventPublisher(discord.AutoShardedClient(intents=discord.Intents.none()))
    assert everything.reaches(6 << 22)
