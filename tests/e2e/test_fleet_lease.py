"""A fleet on PostgreSQL: two `capcom run` processes (shards 0 and 1 of 2) sharing one
database. One polls and syncs, and when it is killed the other takes over within one
poll interval; together they spend one hourly LL2 budget."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.lease import BACKGROUND
from storage.leases import LeaseStore
from storage.open import open_database
from tests.e2e.harness import running_bot
from tests.e2e.test_alerts import alerts, subscribe
from tests.e2e.test_fleet import fleet
from tests.postgres import Cluster
from tests.stubs.ll2 import Catalog

POLL_SECONDS = 4.0
TAKEN = "background lease taken"
HELD = 24.0
"""Seconds another process holds the lease while a standby polling every second waits."""


async def test_the_background_work_moves_when_its_process_is_killed(
    tmp_path: Path, postgres: Cluster
) -> None:
    env = {
        "DATABASE_URL": await postgres.new_database(),
        "ALERT_POLL_SECONDS": str(POLL_SECONDS),
        "LL2_REQUESTS_PER_HOUR": "100000",  # the budget is not under test here
    }
    async with fleet(tmp_path, "0", "1", env=env) as (_, _, processes, _):
        first, second = processes
        await first.until(lambda: TAKEN in first.log() + second.log(), "a lease holder")
        [holder] = [process for process in processes if TAKEN in process.log()]
        standby = second if holder is first else first
        await holder.wait_log("alert poll: ")
        await holder.wait_log("catalog sync: ")
        assert "alert poll: " not in standby.log() and "catalog sync: " not in standby.log()

        await holder.kill()
        killed = time.monotonic()
        await standby.wait_log(TAKEN, POLL_SECONDS)
        await standby.wait_log("alert poll: ", POLL_SECONDS)
        assert time.monotonic() - killed < POLL_SECONDS  # within one poll interval


async def test_the_fleet_never_spends_more_than_one_hourly_budget(
    tmp_path: Path, postgres: Cluster
) -> None:
    """Twenty astronauts nobody fetched, asked in the servers of both shards: the LL2
    stand-in sees no more than `LL2_REQUESTS_PER_HOUR` requests from the two processes
    together, and each process tells its users the budget is spent."""
    per_hour = 8
    env = {
        "DATABASE_URL": await postgres.new_database(),
        "LL2_REQUESTS_PER_HOUR": str(per_hour),
        "LL2_USER_REQUESTS_PER_HOUR": str(per_hour),
        "LL2_SERVER_REQUESTS_PER_HOUR": str(per_hour),
        "SYNC_SPARE_SLOTS": "false",  # a page per interval: the catalog stays incomplete
    }
    async with fleet(tmp_path, "0", "1", env=env) as (discord, ll2, _, guilds):
        # Astronauts past the catalog sync's first page: nearly all of them need LL2.
        asked = [(guilds[astronaut % 2], astronaut) for astronaut in range(101, 121)]
        handles = [
            await discord.send_command("crew", {"astronaut": str(astronaut)}, guild_id=guild.id)
            for guild, astronaut in asked
        ]
        refused = set()
        for (guild, _astronaut), handle in zip(asked, handles, strict=True):
            if "budget is spent" in str((await handle.wait_message())["embeds"]):
                refused.add(guild.id)
        assert ll2.upstream_count() <= per_hour
        assert refused == {guild.id for guild in guilds}  # both processes hit the one limit


async def test_a_standby_that_waited_many_intervals_polls_once_per_interval(
    tmp_path: Path,
) -> None:
    """A standby that waited `HELD` poll intervals for the lease takes it over and then
    polls once per interval, not once for every interval it waited: on a budget whose
    background share (15) such a burst would spend within a second, a landing two
    intervals after the takeover is still announced."""
    database = f"sqlite:///{tmp_path / 'capcom.db'}"
    async with open_database(database) as db:
        other = LeaseStore(db)  # a holder that stops renewing `HELD` s after the bot is up
        await other.claim(BACKGROUND, "another process", time.time(), 60)
        env = {
            "DATABASE_URL": database,
            "ALERT_POLL_SECONDS": "1",
            "LL2_REQUESTS_PER_HOUR": "45",
            "SYNC_SPARE_SLOTS": "false",
        }
        catalog = Catalog.synthetic(flights=60, astronauts=120, now=datetime.now(UTC))
        async with running_bot(tmp_path, catalog=catalog, env=env) as bot:
            guild = bot.discord.default_guild
            await subscribe(bot, guild)
            await other.claim(BACKGROUND, "another process", time.time(), HELD)
            await bot.wait_log(TAKEN, HELD + 5)
            taken = bot.ll2.now()
            await asyncio.sleep(2)  # a burst, if there is one, is over
            bot.ll2.catalog.land_flight(
                bot.ll2.catalog.flights_in_space(crewed=True)[0], datetime.now(UTC)
            )
            await bot.until(lambda: bool(alerts(bot, guild)), "the landing alert", 5)
            polls = [
                round(r.timestamp - taken, 2)
                for r in bot.ll2.upstream_requests()
                if r.path.endswith("/astronauts/") and r.query.get("in_space") == "true"
            ]
            # None before the takeover, one at once, then one a second (a second of slack).
            assert len(polls) <= bot.ll2.now() - taken + 2, f"polls, in s after takeover: {polls}"
