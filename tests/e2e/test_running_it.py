"""What the person running Capcom sees: `/metrics` and `/healthz` of a running `capcom
run`, its JSON log lines, and a start while Discord cannot be reached."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.harness import TOKEN, BotProcess
from tests.e2e.test_commands import answered_in_time
from tests.stubs.discord import DiscordStub
from tests.stubs.ll2 import Catalog, LL2Stub

LL2_KEY = "ll2-secret-key-for-the-test"
SERVING = re.compile(r"metrics on (http://127\.0\.0\.1:\d+)/metrics")

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def served_at(bot: BotProcess) -> str:
    await bot.wait_log("metrics on http://")
    found = SERVING.search(bot.log())
    assert found is not None, bot.log()
    return found.group(1)


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def scrape(base: str) -> Samples:
    status, text = await get(base + "/metrics")
    assert status == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
async def stand_ins() -> AsyncIterator[tuple[LL2Stub, DiscordStub]]:
    # A heartbeat every half second: the gateway's latency is known soon after start.
    async with (
        LL2Stub(Catalog.from_fixtures(now=datetime.now(UTC))) as ll2,
        DiscordStub(token=TOKEN, rate_limit=50, heartbeat_interval_ms=500) as discord,
    ):
        discord.add_guild(name="Capcom Test", channels=("general", "launches"))
        yield ll2, discord


async def test_metrics_and_health_follow_the_interactions(
    tmp_path: Path, stand_ins: tuple[LL2Stub, DiscordStub]
) -> None:
    ll2, discord = stand_ins
    env = {
        "METRICS_PORT": "0",
        "LOG_FORMAT": "json",
        "LL2_API_KEY": LL2_KEY,
        # One LL2 request per user, and no catalog sync caching everything at start.
        "LL2_USER_REQUESTS_PER_HOUR": "1",
        "SYNC_SPARE_SLOTS": "false",
    }
    bot = BotProcess(discord, ll2, tmp_path, env=env)
    await bot.start()
    try:
        base = await served_at(bot)
        assert await get(base + "/healthz") == (200, "ok\n")
        await bot.wait_log("background lease taken")
        before = await scrape(base)

        send = discord.send_command
        await answered_in_time(await send("flight", {"flight": "219"}, user_id=501))
        await answered_in_time(await send("flight", {"flight": "219"}, user_id=501))
        await answered_in_time(await send("flight", {"flight": "186"}, user_id=501))
        await bot.until(lambda: bot.log().count("/flight in guild") >= 3, "three answers")
        after = await scrape(base)
    finally:
        await bot.stop()

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("capcom_interactions_total", command="flight", outcome="answered") == 2
    assert moved("capcom_interactions_total", command="flight", outcome="refused") == 1
    assert moved("capcom_first_response_seconds_count", command="flight") == 3
    assert moved("capcom_first_response_seconds_bucket", command="flight", le="3.0") == 3
    assert moved("capcom_cache_lookups_total", resource="flight", result="miss") == 2
    assert moved("capcom_cache_lookups_total", resource="flight", result="hit") == 1
    fetched = moved(
        "capcom_ll2_requests_total", endpoint="flight", priority="interactive", status="200"
    )
    assert fetched == 1, "the second user's flight was refused, not fetched"
    # The flight fetched took a slot (background work may have taken more meanwhile).
    assert value(after, "capcom_ll2_budget_left") <= value(before, "capcom_ll2_budget_left") - 1
    assert value(after, "capcom_background_lease_held") == 1
    assert 0 <= value(after, "capcom_gateway_latency_seconds", shard="0") < 1
    assert ("capcom_ll2_throttled_total", frozenset()) in after

    lines = [json.loads(line) for line in bot.log().splitlines() if line.strip()]
    answers = [line for line in lines if "/flight in guild" in line["message"]]
    assert len(answers) == 3
    guild = discord.default_guild.id
    for line in answers:
        assert {"time", "level", "logger", "message"} <= set(line)
        assert (line["command"], line["guild"], line["shard"]) == ("flight", guild, 0)
        assert isinstance(line["interaction"], int)
    for secret in (TOKEN, LL2_KEY):
        assert secret not in bot.log()


async def test_a_start_without_discord_says_why_and_connects_once_it_answers(
    tmp_path: Path,
) -> None:
    port = free_port()
    async with LL2Stub(Catalog.from_fixtures(now=datetime.now(UTC))) as ll2:
        discord = DiscordStub(token=TOKEN, port=port)
        discord.add_guild(name="Capcom Test", channels=("general",))
        env = {
            "DISCORD_API_BASE_URL": f"http://127.0.0.1:{port}/api/v10",
            "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/gateway",
            "METRICS_PORT": "0",
        }
        bot = BotProcess(discord, ll2, tmp_path, env=env)
        health: list[tuple[int, str]] = []

        async def discord_appears() -> None:
            await bot.wait_log("(try 2)")
            health.append(await get(await served_at(bot) + "/healthz"))
            await discord.start()

        try:
            await asyncio.gather(bot.start(), discord_appears())
            health.append(await get(await served_at(bot) + "/healthz"))
        finally:
            status = await bot.stop()
            await discord.close()
    log = bot.log()
    where = f"cannot reach Discord at 127.0.0.1:{port} (DISCORD_API_BASE_URL): connection refused"
    assert f"{where}; trying again in 1 s (try 1)" in log
    assert f"{where}; trying again in 2 s (try 2)" in log
    assert health == [(503, "not connected to Discord's gateway yet\n"), (200, "ok\n")]
    assert "Traceback" not in log
    assert "PyNaCl" not in log and "davey" not in log
    assert status in (0, -15)


async def test_a_rejected_token_is_one_line_and_exit_2(
    tmp_path: Path, stand_ins: tuple[LL2Stub, DiscordStub]
) -> None:
    ll2, discord = stand_ins
    bot = BotProcess(discord, ll2, tmp_path, env={"DISCORD_TOKEN": "not-the-token"})
    with pytest.raises(RuntimeError, match="the bot exited"):
        await bot.start()
    assert bot.process is not None
    assert bot.process.returncode == 2
    said = [line for line in bot.log().splitlines() if line.startswith("capcom:")]
    assert said == ["capcom: Discord rejected DISCORD_TOKEN; reset it in the Developer Portal."]
    assert "Traceback" not in bot.log()
