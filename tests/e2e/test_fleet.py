"""More than one process: shards split across `capcom run` processes that share one
database, against one Discord stand-in that routes each server to its shard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.harness import TOKEN, BotProcess, running_shards
from tests.e2e.test_alerts import alerts, subscribe
from tests.stubs.discord import DiscordStub, GuildSpec
from tests.stubs.discord.gateway import guild_ids
from tests.stubs.ll2 import Catalog, LL2Stub

SERVERS = guild_ids(1, 2)
"""A server on shard 0 of 2 and one on shard 1."""


@asynccontextmanager
async def fleet(
    tmp_path: Path, *shard_ids: str, env: dict[str, str] | None = None
) -> AsyncIterator[tuple[DiscordStub, LL2Stub, list[BotProcess], list[GuildSpec]]]:
    """One process per entry of `shard_ids` (SHARD_COUNT=2), all on one SQLite file; a
    server on each shard."""
    catalog = Catalog.synthetic(flights=60, astronauts=120, now=datetime.now(UTC))
    async with (
        LL2Stub(catalog) as ll2,
        DiscordStub(token=TOKEN, rate_limit=50, recommended_shards=2) as discord,
    ):
        guilds = [
            discord.add_guild(SERVERS[n], name=f"Shard {n}", channels=("general", "launches"))
            for n in (0, 1)
        ]
        shared = {"DATABASE_PATH": str(tmp_path / "capcom.db"), "SHARD_COUNT": "2"}
        async with running_shards(
            discord, ll2, tmp_path, shard_ids, shared | (env or {})
        ) as processes:
            yield discord, ll2, processes, guilds


def answered(process: BotProcess, command: str, guild: GuildSpec) -> bool:
    return f"{command} in guild {guild.id}:" in process.log()


@pytest.mark.every_backend
async def test_each_process_answers_the_servers_of_its_shard(
    tmp_path: Path, database_url: str
) -> None:
    async with fleet(tmp_path, "0", "1", env={"DATABASE_URL": database_url}) as (
        discord,
        _,
        (first, second),
        guilds,
    ):
        for guild in guilds:
            handle = await discord.send_command(
                "flight",
                {"flight": "219"},
                guild_id=guild.id,
                channel_id=guild.channel("general").id,
            )
            assert "Soyuz TMA-15" in str((await handle.wait_message())["embeds"])
        shard_0, shard_1 = guilds
        await first.wait_log(f"/flight in guild {shard_0.id}:")
        await second.wait_log(f"/flight in guild {shard_1.id}:")
        assert not answered(first, "/flight", shard_1)
        assert not answered(second, "/flight", shard_0)
        about = await discord.send_command("about", guild_id=shard_1.id)
        assert "shard 1 of 2" in str((await about.wait_message())["embeds"])


@pytest.mark.every_backend
async def test_a_button_works_after_its_shard_moves_to_another_process(
    tmp_path: Path, database_url: str
) -> None:
    """/flights answered by the process of shard 0; that process stops, the other takes
    both shards, and the ▶ button on the first process's message still turns the page."""
    async with fleet(tmp_path, "0", "1", env={"DATABASE_URL": database_url}) as (
        discord,
        _,
        (first, second),
        guilds,
    ):
        shard_0 = guilds[0]
        handle = await discord.send_command("flights", {"spacecraft": "78"}, guild_id=shard_0.id)
        page = await handle.wait_message()
        assert "Page 1 of" in str(page["embeds"])
        await first.wait_log(f"/flights in guild {shard_0.id}:")
        await first.stop()
        second.env["SHARD_IDS"] = "0,1"
        await second.restart()
        press = await discord.press_button("capcom:flights:78:2", discord.message(int(page["id"])))
        await press.wait_response()
        assert "Page 2 of" in str(discord.message(int(page["id"])).embeds)


async def fleet_polls(processes: list[BotProcess], count: int = 3) -> None:
    """Wait for `count` more alert polls, whichever process holds the background lease."""

    def done() -> int:
        return sum(process.log().count("alert poll:") for process in processes)

    seen = done()
    await processes[0].until(lambda: done() >= seen + count, "alert polls in the fleet", 30)


@pytest.mark.every_backend
async def test_a_landing_is_one_alert_per_server_across_the_fleet(
    tmp_path: Path, database_url: str
) -> None:
    """Two processes, a subscribed server on each one's shard: one process polls (the
    lease), either may post, and each server gets the landing exactly once."""
    env = {
        # A 1 s lease (half the poll interval): a busy machine delaying a renewal past
        # half a second made the other process take over mid-test (seen under -n 4).
        "ALERT_POLL_SECONDS": "2",
        "LL2_REQUESTS_PER_HOUR": "100000",
        "DATABASE_URL": database_url,
    }
    async with fleet(tmp_path, "0", "1", env=env) as (_, ll2, processes, guilds):
        for guild in guilds:
            await subscribe(processes[0], guild)
        await fleet_polls(processes)
        ll2.catalog.land_flight(ll2.catalog.flights_in_space(crewed=True)[0], datetime.now(UTC))
        await processes[0].until(
            lambda: all(alerts(processes[0], guild) for guild in guilds), "both alerts", 30
        )
        await fleet_polls(processes, 5)
        assert [len(alerts(processes[0], guild)) for guild in guilds] == [1, 1]
        pollers = [p for p in processes if "alert poll:" in p.log()]
        assert len(pollers) == 1, "only the lease holder polls"
