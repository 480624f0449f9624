"""Each user's and each server's share of LL2's hourly budget, answered as a command
is: through `respond`, with a real runtime on a SQLite file and the LL2 stand-in."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.render.flight import render_flight
from bot.render.lang import ENGLISH
from bot.responder import Reply, asker, respond
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from tests.bot.test_responder import FakeInteraction
from tests.stubs.ll2 import Catalog, LL2Stub


@pytest.fixture
async def ll2() -> AsyncIterator[LL2Stub]:
    async with LL2Stub(Catalog.synthetic(flights=40, astronauts=40)) as stub:
        yield stub


@pytest.fixture
async def runtime(tmp_path: Path, ll2: LL2Stub) -> AsyncIterator[Runtime]:
    settings = Settings(
        _env_file=None, ll2_base_url=ll2.base_url("2.2.0"), database_path=tmp_path / "capcom.db"
    )
    async with open_runtime(settings) as opened:
        yield opened


async def flight(runtime: Runtime, flight_id: int, user: int, guild: int | None) -> str:
    """What `user` sees after `/flight <flight_id>` in `guild`; an error's text starts
    with ❌ and must be ephemeral."""
    interaction = FakeInteraction()
    interaction.user = SimpleNamespace(id=user)
    interaction.guild_id = guild
    service = runtime.service

    async def produce() -> Reply:
        fetched = await service.flight(str(flight_id), asker=asker(interaction.interaction))
        message = render_flight(fetched.value, fetched.freshness, service.now(), ENGLISH)
        return Reply(message, fetched.freshness)

    await respond(interaction.interaction, produce)
    _, text, ephemeral = interaction.sent[-1]
    assert ephemeral == text.startswith("❌"), text
    return text


async def test_past_their_share_a_user_is_told_when_while_others_and_the_cache_still_answer(
    runtime: Runtime, ll2: LL2Stub
) -> None:
    first, second, third, fourth = sorted(ll2.catalog.flights)[:4]
    started = time.time()
    for flight_id in (first, second, third):
        assert not (await flight(runtime, flight_id, user=1, guild=10)).startswith("❌")
    assert ll2.upstream_count() == 3

    refused = await flight(runtime, fourth, user=1, guild=10)
    assert refused.startswith(
        "❌ You've asked LL2 for 3 new things this hour; Capcom shares 15 requests an hour"
        " with everyone. Try again <t:"
    )
    assert refused.endswith(":R>, or pick something already cached.")
    retry_at = int(refused.split("<t:")[1].split(":")[0])
    assert started + 3600 <= retry_at <= time.time() + 3601
    assert ll2.upstream_count() == 3

    assert not (await flight(runtime, fourth, user=2, guild=20)).startswith("❌")
    assert ll2.upstream_count() == 4
    # What is cached is still theirs to see, however much they asked of LL2.
    assert not (await flight(runtime, first, user=1, guild=10)).startswith("❌")
    assert not (await flight(runtime, fourth, user=1, guild=10)).startswith("❌")
    assert ll2.upstream_count() == 4


async def test_a_server_past_its_share_is_told_while_other_servers_still_get_fresh_data(
    runtime: Runtime, ll2: LL2Stub
) -> None:
    flights = sorted(ll2.catalog.flights)
    for user, flight_id in zip((1, 1, 1, 2, 2, 2), flights, strict=False):
        assert not (await flight(runtime, flight_id, user=user, guild=10)).startswith("❌")
    refused = await flight(runtime, flights[6], user=3, guild=10)
    assert refused.startswith(
        "❌ This server has asked LL2 for 6 new things this hour; Capcom shares 15 requests"
        " an hour with every server."
    )
    assert not (await flight(runtime, flights[6], user=3, guild=None)).startswith("❌")
    assert ll2.upstream_count() == 7
