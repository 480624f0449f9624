"""Discord scheduled events of upcoming crewed launches end to end: the bot as a process,
the LL2 stand-in's scripted upcoming launches, events through the Discord stand-in.

The sync reads only the cached list of upcoming launches, never asking LL2 itself: here
`/upcoming` fetches it, and a newer copy is fetched once the cached one is made old
(as the launch watch would keep it fresh)."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.harness import ADMIN, BotProcess, running_bot
from tests.stubs.discord import DEFAULT_BOT_PERMISSIONS, Perm
from tests.stubs.discord.events import StoredEvent
from tests.stubs.ll2.convert import UPCOMING_CREW12_GO, load_fixture
from tests.stubs.ll2.upcoming import GO, SEC, TBD, LaunchState, ScriptedLaunch, UpcomingHistory

FAST = {
    "ALERT_POLL_SECONDS": "1",
    "EVENTS_SYNC_SECONDS": "1",
    "LL2_REQUESTS_PER_HOUR": "100000",
}
EVENTS_ROUTE = "/guilds/{guild_id}/scheduled-events"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    async with running_bot(tmp_path, env=FAST) as process:
        process.ll2.upcoming = crew12(GO, net_in=timedelta(days=2))
        yield process


def crew12(status: int, net_in: timedelta) -> UpcomingHistory:
    """Crew-12 as LL2 lists it from now on: `status`, NET `net_in` from now (to the second)."""
    now = datetime.now(UTC).replace(microsecond=0)
    state = LaunchState(now - timedelta(hours=1), status, now + net_in, SEC)
    return UpcomingHistory((ScriptedLaunch(load_fixture(UPCOMING_CREW12_GO), (state,)),))


async def command(
    bot: BotProcess, name: str, subcommand: str | None = None, **options: object
) -> str:
    guild = bot.discord.default_guild
    handle = await bot.discord.send_command(
        name,
        dict(options),
        subcommand=subcommand,
        guild_id=guild.id,
        channel_id=guild.channel("general").id,
        permissions=ADMIN,
    )
    return str((await handle.wait_message(timeout=10))["embeds"])


async def enable_events(bot: BotProcess) -> None:
    guild = bot.discord.default_guild
    await bot.discord.set_bot_permissions(guild, DEFAULT_BOT_PERMISSIONS | Perm.CREATE_EVENTS)
    answer = await command(bot, "alerts", "events", enabled=True)
    assert "will keep a Discord event" in answer, answer


async def refresh_upcoming(bot: BotProcess) -> None:
    """The cached list made two hours old, then `/upcoming` fetches LL2's list again."""
    with sqlite3.connect(bot.database) as connection:
        connection.execute(
            "UPDATE documents SET fetched_at = fetched_at - 7200 WHERE key LIKE '%upcoming%'"
        )
    await command(bot, "upcoming")


async def syncs(bot: BotProcess, count: int = 2) -> None:
    seen = bot.log().count("scheduled events: ")
    await bot.until(
        lambda: bot.log().count("scheduled events: ") >= seen + count, "event syncs", 30
    )


def events(bot: BotProcess) -> list[StoredEvent]:
    return [e for e in bot.discord.events_of(bot.discord.default_guild.id) if e.status in (1, 2)]


def upcoming_requests(bot: BotProcess) -> int:
    return len([r for r in bot.ll2.upstream_requests() if "upcoming" in r.path])


async def test_events_are_made_moved_and_deleted_as_ll2_changes(bot: BotProcess) -> None:
    await enable_events(bot)
    await syncs(bot)
    assert events(bot) == []  # nothing cached yet: the sync asked LL2 nothing
    assert upcoming_requests(bot) == 0
    await command(bot, "upcoming")
    await bot.until(lambda: len(events(bot)) == 1, "the event")
    made = events(bot)[0]
    net = bot.ll2.upcoming.launches[0].states[0].net
    assert made.name == "Crew-12 launch" and made.start == net
    assert made.end == made.start + timedelta(hours=1)
    assert made.location == "https://www.youtube.com/watch?v=zCM-Kwq91cc"
    assert "Jessica Meir" in (made.description or "")

    bot.ll2.upcoming = crew12(GO, net_in=timedelta(days=3))  # a slip of a day
    await refresh_upcoming(bot)
    moved_to = bot.ll2.upcoming.launches[0].states[0].net
    await bot.until(lambda: events(bot)[0].start == moved_to, "the event moved")
    assert [e.id for e in events(bot)] == [made.id] and made.edits == 1

    # The admin picks Japanese for what Capcom posts here: the same event, reworded.
    general = bot.discord.default_guild.channel("general").id
    assert "日本語" in await command(bot, "alerts", "channel", channel=general, language="ja")
    await bot.until(lambda: events(bot)[0].name == "Crew-12 の打ち上げ", "the event in Japanese")
    assert [e.id for e in events(bot)] == [made.id] and made.edits == 2
    assert "ステータス：打ち上げ準備完了" in (made.description or "")

    bot.ll2.upcoming = crew12(TBD, net_in=timedelta(days=3))
    await refresh_upcoming(bot)
    await bot.until(lambda: events(bot) == [], "the event deleted")
    await syncs(bot)
    assert bot.discord.scheduled_events == {}
    assert upcoming_requests(bot) == 3  # one per /upcoming: the sync costs LL2 nothing


async def test_create_events_missing_is_named_and_a_lost_permission_pauses(
    bot: BotProcess,
) -> None:
    answer = await command(bot, "alerts", "events", enabled=True)
    assert "Create Events" in answer
    await enable_events(bot)
    assert "on: an event for each crewed launch" in await command(bot, "alerts", "status")
    await command(bot, "upcoming")
    await bot.until(lambda: len(events(bot)) == 1, "the event")
    guild = bot.discord.default_guild
    await bot.discord.set_bot_permissions(guild, DEFAULT_BOT_PERMISSIONS)
    bot.ll2.upcoming = crew12(GO, net_in=timedelta(days=4))
    await refresh_upcoming(bot)
    await bot.wait_log("scheduled events paused")
    status = await command(bot, "alerts", "status")
    assert "Paused" in status and "Create Events" in status
    await syncs(bot, 3)
    assert bot.log().count("scheduled events paused") == 1  # told once, not an error loop
    await enable_events(bot)
    moved_to = bot.ll2.upcoming.launches[0].states[0].net
    await bot.until(lambda: events(bot)[0].start == moved_to, "the event moved after resuming")


async def test_once_across_a_restart_and_a_kill_between_create_and_record(
    bot: BotProcess,
) -> None:
    await enable_events(bot)
    release = bot.discord.hold_next("POST", EVENTS_ROUTE)
    await command(bot, "upcoming")
    await bot.until(lambda: len(events(bot)) == 1, "the event to reach Discord")
    assert bot.process is not None
    bot.process.send_signal(signal.SIGKILL)
    await bot.kill()
    release.set()
    await bot.start()
    await syncs(bot, 3)
    assert len(bot.discord.scheduled_events) == 1
    assert "1 adopt" in bot.log()
    await bot.restart()
    await syncs(bot, 3)
    assert len(bot.discord.scheduled_events) == 1
