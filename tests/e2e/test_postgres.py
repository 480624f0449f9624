"""`capcom run` with its database on PostgreSQL (`DATABASE_URL`): the same bot, nothing
in SQLite, and what it stored still there after a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.harness import running_bot
from tests.postgres import Cluster
from tests.stubs.ll2 import Catalog

NOW = datetime.now(UTC)


async def test_the_bot_on_postgresql_answers_and_keeps_its_cache_across_a_restart(
    tmp_path: Path, postgres: Cluster
) -> None:
    env = {"DATABASE_URL": await postgres.new_database()}
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=NOW)
    async with running_bot(tmp_path, catalog=catalog, env=env) as bot:
        await bot.wait_log("alert poll: ")  # the start-up background work, on the lease
        await bot.wait_log("catalog sync: ")
        flight = await bot.discord.send_command("flight", {"flight": "219"})
        assert (await flight.wait_message(timeout=20))["embeds"][0]["title"] == "Soyuz TMA-15"
        found = await bot.discord.send_autocomplete("crew", {"astronaut": "roma"}, "astronaut")
        assert (await found.wait_choices())[0]["name"].startswith("Roman Romanenko")

        await bot.restart()
        again = await bot.discord.send_command("flight", {"flight": "219"})
        assert (await again.wait_message(timeout=20))["embeds"][0]["title"] == "Soyuz TMA-15"
        await bot.until(lambda: "/flight in guild" in bot.log_path.read_text(), "/flight", 5)
        [answered] = [line for line in bot.log_path.read_text().splitlines() if "/flight" in line]
        assert answered.endswith("from cache")  # what the first process stored
        log = bot.log()
    assert log.count("background lease taken") == 2  # given up at the stop, taken again
    assert not (tmp_path / "capcom.db").exists()
