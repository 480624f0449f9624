"""A fleet keeping a server's reminders and live board: two `capcom run` processes (shards 0
and 1 of 2) on one SQLite file, short intervals by settings. While both run, each due
reminder is posted once and the board is one message, edited in place; when the process
holding the background lease is killed with a reminder on its way to Discord, the other
takes over without a second reminder or a second board."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e.harness import ADMIN, BotProcess
from tests.e2e.test_alerts import subscribe
from tests.e2e.test_fleet import fleet
from tests.e2e.test_reminders import FAST
from tests.stubs.discord import DiscordStub, GuildSpec, StoredMessage
from tests.stubs.ll2.convert import UPCOMING_CREW12_GO, UPCOMING_CREW13_TBD, load_fixture
from tests.stubs.ll2.upcoming import GO, SEC, LaunchState, ScriptedLaunch, UpcomingHistory

TAKEN = "background lease taken"
ENV = FAST | {"ALERT_BOARD_SECONDS": "0.2"}
"""A lease of about a second (the standby takes over at once), the launch watch asking
every second, boards turned five times a second."""


def sent(discord: DiscordStub, guild: GuildSpec, channel: str) -> list[StoredMessage]:
    """What Capcom posted in the channel itself (not its replies to commands)."""
    messages = discord.channel_messages(guild.channel(channel).id)
    return [message for message in messages if message.source == "channel"]


def titles(messages: list[StoredMessage]) -> list[str]:
    return [str(message.payload["embeds"][0].get("title")) for message in messages]


async def a_board(discord: DiscordStub, guild: GuildSpec, process: BotProcess) -> StoredMessage:
    handle = await discord.send_command(
        "alerts",
        {"channel": guild.channel("general").id},
        subcommand="board channel",
        guild_id=guild.id,
        permissions=ADMIN,
    )
    assert "live board will be kept" in str((await handle.wait_message(timeout=10))["embeds"])
    await process.until(lambda: bool(sent(discord, guild, "general")), "the board", 20)
    [board] = sent(discord, guild, "general")
    return board


async def test_a_fleet_posts_each_reminder_and_keeps_one_board_across_a_killed_lease_holder(
    tmp_path: Path,
) -> None:
    async with fleet(tmp_path, "0", "1", env=ENV) as (discord, ll2, processes, guilds):
        first, second = processes
        await first.until(lambda: TAKEN in first.log() + second.log(), "a lease holder")
        [holder] = [process for process in processes if TAKEN in process.log()]
        [standby] = [process for process in processes if process is not holder]
        # The server of the standby's shard: a process finds out whether a reminder it may
        # have sent reached Discord only in a server whose shard it runs.
        guild = guilds[processes.index(standby)]
        ll2.upcoming = UpcomingHistory()  # nothing upcoming until the script below
        await subscribe(standby, guild, landings=False, reminders=True, reminder_times="3600")
        board = await a_board(discord, guild, holder)

        # Crew-12's 1 h reminder is due in 12 s, Crew-13's in 30 s (after the takeover).
        now = ll2.wall_time().replace(microsecond=0)
        crew12 = ScriptedLaunch(
            load_fixture(UPCOMING_CREW12_GO),
            (LaunchState(now, GO, now + timedelta(hours=1, seconds=12), SEC),),
        )
        crew13 = ScriptedLaunch(
            load_fixture(UPCOMING_CREW13_TBD),
            (LaunchState(now, GO, now + timedelta(hours=1, seconds=30), SEC),),
        )
        release = discord.hold_next("POST", f"/channels/{guild.channel('launches').id}/messages")
        ll2.upcoming = UpcomingHistory((crew12, crew13))
        await holder.until(
            lambda: "Crew-13" in str(board.embeds) and "Crew-12" in str(board.embeds),
            "the board showing both launches",
            20,
        )
        await holder.until(lambda: bool(sent(discord, guild, "launches")), "Crew-12's reminder", 30)
        assert "alert poll: " not in standby.log()  # the standby stood by until now

        # Killed between Discord accepting the reminder and the holder recording it.
        await holder.kill()
        release.set()
        await standby.wait_log(TAKEN, 10)
        edits = board.edits
        catalog = ll2.catalog
        catalog.land_flight(catalog.flights_in_space(crewed=True)[0], datetime.now(UTC))
        await standby.until(lambda: board.edits > edits, "the board edited by the standby", 20)
        await standby.until(
            lambda: "Crew-13" in str(titles(sent(discord, guild, "launches"))),
            "Crew-13's reminder",
            60,
        )
        await asyncio.sleep(3)  # three lease lengths: a duplicate would have come by now

        reminders = titles(sent(discord, guild, "launches"))
        assert reminders == ["⏰ Crew-12 launches in 1 hour", "⏰ Crew-13 launches in 1 hour"]
        assert "already sent" in standby.log()  # Crew-12's, found in the channel
        assert sent(discord, guild, "general") == [board]  # the same message, one edit
        assert board.edits == edits + 1 and "Last landing: **" in str(board.embeds)
